"""Subscribe to an order's updates and cancel the subscription."""

from __future__ import annotations

from flask import g

from ..clock import now
from ..db import upsert_race_safe
from ..errors import NotFound
from ..i18n import current_locale, stored_locale
from ..ids import looks_like_public_id, new_public_id
from ..orders.policy import tracking_url
from ..orders.service import find_order_for
from . import repository


class SubscriptionNotFound(NotFound):
    """No subscription has this id."""

    code, title = "subscription_not_found", "Subscription not found"

    def __init__(self):
        super().__init__("No subscription has this id.")


def subscribe(data: dict) -> tuple[dict, bool]:
    """Return the active subscription of the order's channel+destination and if it is new."""
    order = find_order_for(data)
    at = now()
    subscription_id = new_public_id()
    fresh = {"subscriptionId": subscription_id, "createdAt": at,
             "sessionId": g.get("session_id"), "requestId": g.get("request_id")}
    args = (order["orderNumber"], data["channel"], data["destination"], fresh, at,
            current_locale())
    doc = upsert_race_safe(lambda: repository.activate(*args))
    return doc, doc["subscriptionId"] == subscription_id


def get_subscription(subscription_id: str) -> dict:
    """Return a subscription by its id."""
    doc = repository.find(subscription_id) if looks_like_public_id(subscription_id) else None
    if doc is None:
        raise SubscriptionNotFound()
    return doc


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
