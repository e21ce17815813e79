"""Queue events: one webhook delivery, plus one email delivery per shopper to tell."""

from __future__ import annotations

import hashlib
from contextlib import suppress
from datetime import datetime, timedelta

from flask import current_app, has_app_context
from pymongo.errors import DuplicateKeyError

from ..clock import now
from ..db import upsert_race_safe
from ..ids import new_public_id
from ..schemas import iso_z
from ..text import normal_email
from . import repository

COLLECTION = repository.COLLECTION
WEBHOOK, EMAIL = "webhook", "email"


def jsonable(value):
    """Return the value with datetimes as ISO 8601 UTC strings (the webhook body)."""
    if isinstance(value, datetime):
        return iso_z(value)
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


# What a delivery is about, so a shopper's messages can be found (concierge/privacy):
# data field → kind of identifier. A return's messages are about its RMA (kept, without
# her details, for the store's accounts), not about its order.
SUBJECT_FIELDS = {"email": "email", "sessionId": "session", "ticketNumber": "ticket",
                  "conversationId": "conversation",
                  "uploadId": "upload", "csatId": "csat", "rmaNumber": "rma",
                  "orderNumber": "order", "alertId": "alert", "alertIds": "alert"}
SUBJECT_KINDS = tuple(dict.fromkeys(SUBJECT_FIELDS.values()))


def subject(kind: str, value: str) -> str:
    """Tag an identifier with its kind: order numbers and session ids never collide."""
    return f"{kind}:{value}"


def subjects(data: dict, email_to: str | None = None) -> list[str]:
    """Return the tagged identifiers a delivery is about: its addressee, its data's records."""
    found = [subject("email", normal_email(email_to))] if email_to else []
    for name, kind in SUBJECT_FIELDS.items():
        value = data.get(name)
        if kind == "order" and data.get("rmaNumber"):
            continue
        for one in value if isinstance(value, list) else [value]:
            if isinstance(one, str) and one:
                found.append(subject(kind, normal_email(one) if kind == "email" else one))
    return sorted(set(found))


def _delivery(doc_id: str, message_id: str, channel: str, event_type: str, data: dict,
              at: datetime, **extra) -> dict:
    email_to = extra.get("email", {}).get("to")
    return {"_id": doc_id, "eventId": message_id, "type": event_type, "channel": channel,
            "data": data, "createdAt": at, "status": "pending", "attempts": 0,
            "nextAttemptAt": at, "subjects": subjects(data, email_to), **extra}


def enqueue(db, event_type: str, data: dict, *, email_to: str | None = None,
            email_context: dict | None = None,
            emails: list[tuple[str, dict]] | None = None, session=None,
            webhook: bool = True) -> str:
    """Queue one event; return its message id (the webhook-id on every retry).

    `data` is the webhook payload's data (never anything that lets a receiver
    act as the shopper); `email_to`/`email_context` address the shopper's email
    for types that send one, `emails` several (address, context) pairs; neither
    reaches the webhook. `session`: the MongoDB transaction the event belongs to
    (written with it, or not at all). Without `webhook` only the email goes out (a
    message for the shopper alone).
    """
    at = now()
    message_id = f"msg_{new_public_id()}"
    data = jsonable(data)
    emails = [(email_to, email_context or {})] if email_to else list(emails or ())
    docs = [_delivery(message_id, message_id, WEBHOOK, event_type, data, at)] if webhook else []
    docs += [_delivery(f"{message_id}.{n}", message_id, EMAIL, event_type, data, at,
                       email={"to": to, "context": context})
             for n, (to, context) in enumerate(emails, start=1)]
    if email_to:  # a shopper asked for it, naming any address: budgeted per address
        _within_budget(db, docs[-1], at)
    repository.insert(db, docs, session)
    _wake_workers()
    return message_id


def _within_budget(db, delivery: dict, at: datetime) -> None:
    """Skip the email when its address already had its share of this clock hour.

    Anyone can name any address in a hold or a ticket; the budget keeps the
    store's mail from being a way to flood one mailbox. The event still goes
    to the webhook; the skipped email stays visible in the console.
    """
    address = delivery["email"]["to"]
    hour = at.replace(minute=0, second=0, microsecond=0)
    digest = hashlib.sha256(address.encode()).hexdigest()[:24]
    key = f"email:{digest}:{hour.isoformat()}"
    limit = current_app.config["EMAILS_PER_ADDRESS_PER_HOUR"] if has_app_context() else None
    if limit is None:
        return
    count = upsert_race_safe(lambda: repository.count_email(db, key, hour + timedelta(hours=1)))
    if count > limit:
        delivery.update(status="skipped", skippedAt=at,
                        lastError=f"over {limit} emails to this address within the hour")


def collapse(db, event_type: str, key: str, data: dict, due_at: datetime) -> str:
    """Fold an event into one webhook delivery per key, sent at `due_at`; return its id.

    The delivery's data is the latest event's, with `collapsed` counting them.
    """
    message_id = "msg_" + hashlib.sha256(key.encode()).hexdigest()[:32]
    delivery = _delivery(message_id, message_id, WEBHOOK, event_type, jsonable(data), now(),
                         nextAttemptAt=due_at)
    # A duplicate once: a concurrent first fold won, so fold into it. Twice: it was
    # already sent at due_at, and a straggler of that window is dropped.
    with suppress(DuplicateKeyError):
        upsert_race_safe(lambda: repository.fold(db, delivery, "collapsed"))
    return message_id


def retry(db, message_id: str) -> int:
    """Send a failed delivery again now (or every failed one of an event); return how many."""
    count = repository.make_due(db, message_id, now())
    if count:
        _wake_workers()
    return count


def emails_waiting(db, message_id: str) -> int:
    """Count an event's emails not yet sent (pending, or being sent)."""
    return repository.waiting_emails(db, message_id)


def wake() -> None:
    """Tell this process's workers to look now (something became due outside enqueue)."""
    _wake_workers()


def _wake_workers() -> None:
    """Tell this process's workers to look now, so delivery does not wait for a poll."""
    if has_app_context():
        workers = current_app.extensions.get("concierge_outbox")
        if workers is not None:
            workers.wake()
