"""Order subscription storage."""

from __future__ import annotations

from pymongo import ReturnDocument

from ..db import get_db


def activate(order_number: str, channel: str, destination: str, fresh: dict,
             at, locale: str) -> dict:
    """Upsert the one subscription of (order, channel, destination) as active.

    `fresh` is written only when the document is new; an existing one (even
    cancelled) is switched back to active and keeps its subscriptionId; its emails
    follow the `locale` of the latest subscribe.
    """
    return get_db().orderSubscriptions.find_one_and_update(
        {"orderNumber": order_number, "channel": channel, "destination": destination},
        {"$setOnInsert": fresh, "$set": {"status": "active", "updatedAt": at, "locale": locale},
         "$unset": {"cancelledAt": ""}},
        upsert=True, return_document=ReturnDocument.AFTER)


def cancel(subscription_id: str, at) -> dict | None:
    """Mark a subscription cancelled; return it, or None when unknown."""
    collection = get_db().orderSubscriptions
    found = collection.find_one_and_update(
        {"subscriptionId": subscription_id, "status": "active"},
        {"$set": {"status": "cancelled", "cancelledAt": at, "updatedAt": at}},
        return_document=ReturnDocument.AFTER)
    # Already cancelled: cancelling again is a no-op that answers the same.
    return found or collection.find_one({"subscriptionId": subscription_id})


def find(subscription_id: str) -> dict | None:
    """Return the subscription with this id."""
    return get_db().orderSubscriptions.find_one({"subscriptionId": subscription_id})


def active_for_order(order_number: str) -> list[dict]:
    """Return the order's active subscriptions."""
    return list(get_db().orderSubscriptions.find({"orderNumber": order_number,
                                                  "status": "active"}))
