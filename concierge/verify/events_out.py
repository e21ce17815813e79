"""The events-out row: the journeys' events signed to a webhook, the shoppers' emails sent."""

from __future__ import annotations

import re
import time
from datetime import datetime

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from .context import Context
from .rows import Row

# What the journey rows before this one make (order.updated and return.status_changed
# come from the merchant API and the console).
JOURNEY_EVENTS = ("return.requested", "capsule_hold.created", "stylist_ticket.created",
                  "inspiration.submitted", "csat.low_rating")
DEADLINE = 10.0  # seconds: the contract's bound while the receivers are up
HOLD_LINK = re.compile(r"/holds/([A-Za-z0-9_-]{16,64})")


def _received(hook, mail, ctx: Context) -> tuple[set[str], dict]:
    types = {body.get("type") for body in hook.bodies()}
    emails = {purpose: [m for m in list(mail.messages) if m["To"] == ctx.email(purpose)]
              for purpose in ("hold", "stylist")}
    emails["return"] = [m for m in list(mail.messages)
                        if str(m["Subject"]).startswith("Return RMA-")]
    return types, emails


def _wait(hook, mail, ctx: Context) -> tuple[set[str], dict]:
    deadline = time.monotonic() + DEADLINE
    while True:
        types, emails = _received(hook, mail, ctx)
        if (set(JOURNEY_EVENTS) <= types and all(emails.values())) \
                or time.monotonic() > deadline:
            return types, emails
        time.sleep(0.1)


def _check_signatures(row: Row, hook, secret: str) -> None:
    verifier, bad, delays = Webhook(secret), 0, []
    for headers, raw in list(hook.received):
        try:
            event = verifier.verify(raw, headers)
        except WebhookVerificationError:
            bad += 1
            continue
        happened = datetime.fromisoformat(event["timestamp"].replace("Z", "+00:00"))
        delays.append(int(headers["webhook-timestamp"]) - happened.timestamp())
    row.figures.update({"webhooks": len(hook.received), "badSignatures": bad,
                        "maxDelaySeconds": round(max(delays, default=0), 1)})
    row.check(bad == 0 and delays, f"{len(delays)} webhooks, every signature accepted by the "
              "standardwebhooks verifier", bad)
    row.check(max(delays, default=0) <= DEADLINE, "each sent within 10 s of its event "
              f"(slowest {max(delays, default=0):.1f} s)")


def _check_hold_link(ctx: Context, row: Row, message, hook) -> None:
    found = HOLD_LINK.search(message.get_body(("plain",)).get_content())
    if not row.check(bool(found), "the hold email links to /holds/<holdId>"):
        return
    hold_id = found.group(1)
    row.check(all(hold_id.encode() not in raw for _, raw in hook.received),
              "that holdId is in no webhook body")
    page = ctx.client.get(f"/holds/{hold_id}", api=False)
    row.check(page.status == 200 and "Your hold on" in page.text,
              "GET /holds/<holdId> → 200, the page showing the hold", page.summary())


def events_out(ctx: Context, row: Row) -> None:
    """Wait for the journeys' webhooks and emails at the local receivers; check them."""
    receivers = ctx.state.get("receivers")
    if not receivers:
        row.skip("no local webhook receiver and SMTP server: the verifier starts them for "
                 "its own server (aiosmtpd installed, CONCIERGE_WEBHOOK_URL and "
                 "CONCIERGE_SMTP_URL unset)")
        return
    hook, mail = receivers["hook"], receivers["mail"]
    # What is configured is told to the admin token only (the verifier's own server has one).
    health = ctx.client.get("/health", headers={
        "Authorization": f"Bearer {ctx.config.CONCIERGE_ADMIN_TOKEN}"})
    row.check(health.get("mail") == "configured", "/health: mail configured", health.body)
    types, emails = _wait(hook, mail, ctx)
    for kind in JOURNEY_EVENTS:
        row.check(kind in types, f"webhook {kind} received")
    _check_signatures(row, hook, receivers["secret"])
    for purpose, subject in (("return", "return confirmation (RMA number, next steps)"),
                             ("hold", "hold confirmation (end time, hold page link)"),
                             ("stylist", "stylist ticket acknowledgement")):
        messages = emails[purpose]
        row.check(bool(messages) and all(m.get_body(("plain",)) is not None
                                         and m.get_body(("html",)) is not None
                                         for m in messages),
                  f"email: {subject}, plain text + HTML", len(messages))
    row.figures["emails"] = len(mail.messages)
    if emails["hold"]:
        _check_hold_link(ctx, row, emails["hold"][0], hook)
