"""Order subscription storage."""

from __future__ import annotations

from pymongo import ReturnDocument

from ..db import get_db

PENDING = "pending_confirmation"


def find_for(order_number: str, channel: str, destination: str) -> dict | None:
    """Return the one subscription of (order, channel, destination), whatever its status."""
    return get_db().orderSubscriptions.find_one(
        {"orderNumber": order_number, "channel": channel, "destination": destination})


def insert(doc: dict) -> None:
    """Store a new subscription; the unique index refuses a second one per destination."""
    get_db().orderSubscriptions.insert_one(doc)


def ask_confirmation(subscription_id: str, at, locale: str) -> dict | None:
    """Put a subscription that is not active back to waiting for its address's confirmation."""
    return get_db().orderSubscriptions.find_one_and_update(
        {"subscriptionId": subscription_id, "status": {"$ne": "active"}},
        {"$set": {"status": PENDING, "updatedAt": at, "locale": locale}},
        return_document=ReturnDocument.AFTER)


def confirm(subscription_id: str, at) -> dict | None:
    """Make a subscription waiting for confirmation active; return it, or None."""
    return get_db().orderSubscriptions.find_one_and_update(
        {"subscriptionId": subscription_id, "status": PENDING},
        {"$set": {"status": "active", "confirmedAt": at, "updatedAt": at},
         "$unset": {"cancelledAt": ""}},
        return_document=ReturnDocument.AFTER)


def cancel(subscription_id: str, at) -> dict | None:
    """Mark a subscription cancelled; return it, or None when unknown."""
    collection = get_db().orderSubscriptions
    found = collection.find_one_and_update(
        {"subscriptionId": subscription_id, "status": {"$ne": "cancelled"}},
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
