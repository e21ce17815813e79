"""Queue events: one webhook delivery, plus one email delivery per shopper to tell."""

from __future__ import annotations

import hashlib
from contextlib import suppress
from datetime import datetime
from urllib.parse import quote

from flask import current_app, has_app_context
from pymongo.errors import DuplicateKeyError

from ..db import upsert_race_safe
from ..events import now as clock
from ..i18n import stored_locale
from ..ids import new_public_id
from ..schemas import iso_z
from . import repository

COLLECTION = repository.COLLECTION
WEBHOOK, EMAIL = "webhook", "email"
# The carriers' public tracking pages, for orders the merchant sent without a trackingUrl.
CARRIER_TRACKING = {
    "UPS": "https://www.ups.com/track?tracknum={}",
    "FedEx": "https://www.fedex.com/fedextrack/?trknbr={}",
    "USPS": "https://tools.usps.com/go/TrackConfirmAction?tLabels={}",
    "DHL": "https://www.dhl.com/en/express/tracking.html?AWB={}",
}


def jsonable(value):
    """Return the value with datetimes as ISO 8601 UTC strings (the webhook body)."""
    if isinstance(value, datetime):
        return iso_z(value)
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def _delivery(doc_id: str, message_id: str, channel: str, event_type: str, data: dict,
              at: datetime, **extra) -> dict:
    return {"_id": doc_id, "eventId": message_id, "type": event_type, "channel": channel,
            "data": data, "createdAt": at, "status": "pending", "attempts": 0,
            "nextAttemptAt": at, **extra}


def tracking_url(order: dict) -> str | None:
    """Return the order's tracking link: the merchant's, else the carrier's page."""
    if order.get("trackingUrl"):
        return order["trackingUrl"]
    pattern = CARRIER_TRACKING.get(order.get("carrier"))
    number = order.get("trackingNumber")
    return pattern.format(quote(number)) if pattern and number else None


def _order_subscribers(db, data: dict) -> tuple[dict, list[tuple[str, dict]]]:
    """Count the order's active subscribers; one email per email subscriber.

    SMS subscribers travel in the webhook (no SMS provider is built in); an
    email subscriber's context carries her subscriptionId for the one-click
    unsubscribe link, so it stays out of the webhook.
    """
    number = data["orderNumber"]
    active = list(db.orderSubscriptions.find({"orderNumber": number, "status": "active"}))
    order = db.orders.find_one({"orderNumber": number}) or {}
    data = {**data, "subscribers": len(active),
            "smsSubscribers": [s["destination"] for s in active if s["channel"] == "sms"]}
    emails = [(s["destination"], {"subscriptionId": s["subscriptionId"],
                                  "trackingUrl": tracking_url(order),
                                  "carrier": order.get("carrier"),
                                  "locale": stored_locale(s)})
              for s in active if s["channel"] == "email"]
    return data, emails


def enqueue(db, event_type: str, data: dict, *, email_to: str | None = None,
            email_context: dict | None = None, session=None) -> str:
    """Queue one event; return its message id (the webhook-id on every retry).

    `data` is the webhook payload's data (never anything that lets a receiver
    act as the shopper); `email_to`/`email_context` address the shopper's email
    for types that send one, and never reach the webhook. `order.updated`
    emails every active email subscriber of the order instead. `session`: the
    MongoDB transaction the event belongs to (written with it, or not at all).
    """
    at = clock()
    message_id = f"msg_{new_public_id()}"
    data = jsonable(data)
    emails = [(email_to, email_context or {})] if email_to else []
    if event_type == "order.updated":
        data, emails = _order_subscribers(db, data)
    docs = [_delivery(message_id, message_id, WEBHOOK, event_type, data, at)]
    docs += [_delivery(f"{message_id}.{n}", message_id, EMAIL, event_type, data, at,
                       email={"to": to, "context": context})
             for n, (to, context) in enumerate(emails, start=1)]
    repository.insert(db, docs, session)
    _wake_workers()
    return message_id


def collapse(db, event_type: str, key: str, data: dict, due_at: datetime) -> str:
    """Fold an event into one webhook delivery per key, sent at `due_at`; return its id.

    The delivery's data is the latest event's, with `collapsed` counting them.
    """
    message_id = "msg_" + hashlib.sha256(key.encode()).hexdigest()[:32]
    delivery = _delivery(message_id, message_id, WEBHOOK, event_type, jsonable(data), clock(),
                         nextAttemptAt=due_at)
    # A duplicate once: a concurrent first fold won, so fold into it. Twice: it was
    # already sent at due_at, and a straggler of that window is dropped.
    with suppress(DuplicateKeyError):
        upsert_race_safe(lambda: repository.fold(db, delivery, "collapsed"))
    return message_id


def retry(db, message_id: str) -> int:
    """Send a failed delivery again now (or every failed one of an event); return how many."""
    count = repository.make_due(db, message_id, clock())
    if count:
        _wake_workers()
    return count


def _wake_workers() -> None:
    """Tell this process's workers to look now, so delivery does not wait for a poll."""
    if has_app_context():
        workers = current_app.extensions.get("concierge_outbox")
        if workers is not None:
            workers.wake()
