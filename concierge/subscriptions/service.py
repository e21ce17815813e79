"""Subscribe to an order's updates, confirm by email, and cancel.

A subscription's id is its unsubscribe key, so it is only ever answered for
the subscription the request just created, and only sent to its address
otherwise. An address that is not the order's own, or one that unsubscribed,
gets updates only after it confirms from a link emailed to it.
"""

from __future__ import annotations

from flask import g
from pymongo.errors import DuplicateKeyError

from .. import outbox
from ..clock import now
from ..db import get_db
from ..errors import Conflict, NotFound
from ..i18n import current_locale, stored_locale
from ..ids import looks_like_public_id, new_public_id
from ..orders.policy import tracking_url
from ..orders.service import find_order_for
from . import repository
from .repository import PENDING

# How the answer tells the caller what happened (the HTTP status follows).
CREATED, ACTIVE_ALREADY, CONFIRMATION_SENT = 201, 200, 202


class SubscriptionNotFound(NotFound):
    """No subscription has this id."""

    code, title = "subscription_not_found", "Subscription not found"

    def __init__(self):
        super().__init__("No subscription has this id.")


class CannotResubscribe(Conflict):
    """An sms subscription that was cancelled: nothing can confirm it again."""

    code, title = "subscription_cancelled", "This number stopped these updates"


def subscribe(data: dict) -> tuple[dict, int]:
    """Subscribe the destination to the order's updates; return the answer and its status."""
    order = find_order_for(data)
    at, locale = now(), current_locale()
    key = (order["orderNumber"], data["channel"], data["destination"])
    existing = repository.find_for(*key)
    if existing is None:
        confirmed = data["channel"] == "sms" or data["destination"] == order.get("email")
        doc = {"orderNumber": key[0], "channel": key[1], "destination": key[2],
               "subscriptionId": new_public_id(), "createdAt": at, "updatedAt": at,
               "status": "active" if confirmed else PENDING, "locale": locale,
               "sessionId": g.get("session_id"), "requestId": g.get("request_id")}
        try:
            repository.insert(doc)
        except DuplicateKeyError:  # a concurrent request created it: answer as existing
            existing = repository.find_for(*key)
        else:
            if confirmed:
                return doc, CREATED
            _ask(doc)
            return _public(doc), CONFIRMATION_SENT
    if existing["status"] == "active":
        return _public(existing), ACTIVE_ALREADY
    if existing["channel"] == "sms":
        raise CannotResubscribe("This number stopped the updates of this order; ask the "
                                "store to send them again.")
    waiting = repository.ask_confirmation(existing["subscriptionId"], at, locale)
    if waiting is None:  # confirmed meanwhile
        return _public(repository.find(existing["subscriptionId"])), ACTIVE_ALREADY
    _ask(waiting)
    return _public(waiting), CONFIRMATION_SENT


def _public(doc: dict) -> dict:
    """Return what any caller may see of a subscription: never its id."""
    return {k: v for k, v in doc.items() if k != "subscriptionId"}


def _ask(doc: dict) -> None:
    """Email the address a link that confirms the subscription (nothing for the webhook)."""
    outbox.enqueue(get_db(), "order_subscription.confirm", {"orderNumber": doc["orderNumber"]},
                   email_to=doc["destination"], webhook=False,
                   email_context={"confirmId": doc["subscriptionId"], "locale": doc["locale"]})


def get_subscription(subscription_id: str) -> dict:
    """Return a subscription by its id."""
    doc = repository.find(subscription_id) if looks_like_public_id(subscription_id) else None
    if doc is None:
        raise SubscriptionNotFound()
    return doc


def confirm(subscription_id: str) -> dict:
    """Confirm a subscription from its email's link; a confirmed one is answered as it is."""
    doc = repository.confirm(subscription_id, now()) if looks_like_public_id(
        subscription_id) else None
    return doc or get_subscription(subscription_id)


def unsubscribe(subscription_id: str) -> dict:
    """Cancel a subscription by its id."""
    doc = repository.cancel(subscription_id, now())
    if doc is None:
        raise SubscriptionNotFound()
    return doc


def order_update_audience(order: dict, data: dict) -> tuple[dict, list[tuple[str, dict]]]:
    """Return an order update's webhook data with its subscribers, and one email per email one.

    SMS subscribers travel in the webhook (no SMS provider is built in); an
    email subscriber's context carries her subscriptionId for the one-click
    unsubscribe link, so it stays out of the webhook.
    """
    active = repository.active_for_order(order["orderNumber"])
    data = {**data, "subscribers": len(active),
            "smsSubscribers": [s["destination"] for s in active if s["channel"] == "sms"]}
    emails = [(s["destination"], {"subscriptionId": s["subscriptionId"],
                                  "trackingUrl": tracking_url(order),
                                  "carrier": order.get("carrier"),
                                  "locale": stored_locale(s)})
              for s in active if s["channel"] == "email"]
    return data, emails


def still_subscribed(email_context: dict) -> bool:
    """Tell whether an email's subscriber, if it names one, is still subscribed."""
    subscription_id = email_context.get("subscriptionId")
    if not subscription_id:
        return True
    found = repository.find(subscription_id)
    return bool(found) and found["status"] == "active"
