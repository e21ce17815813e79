"""Platform webhooks' storage: delivery ids seen (48 h), the console's log, the platform's ids."""

from __future__ import annotations

from pymongo.errors import DuplicateKeyError

from ..db import get_db

LOG_SHOWN = 50  # deliveries per platform the console lists


def seen(platform: str, delivery_id: str) -> bool:
    """Tell whether a delivery with this id was received in the last 48 hours."""
    return get_db().platformWebhookIds.find_one({"_id": f"{platform}:{delivery_id}"},
                                                {"_id": 1}) is not None


def remember(platform: str, delivery_id: str, at, session=None) -> bool:
    """Record a delivery id (kept 48 hours); False when another request recorded it first."""
    try:
        get_db().platformWebhookIds.insert_one(
            {"_id": f"{platform}:{delivery_id}", "platform": platform, "receivedAt": at},
            session=session)
    except DuplicateKeyError:
        return False
    return True


def log_delivery(doc: dict) -> None:
    """Add one delivery to the console's log."""
    get_db().platformDeliveries.insert_one(doc)


def latest(platform: str, limit: int = LOG_SHOWN) -> list[dict]:
    """Return a platform's latest deliveries, newest first."""
    return list(get_db().platformDeliveries.find({"platform": platform}, {"_id": 0})
                .sort("receivedAt", -1).limit(limit))


def link(platform: str, kind: str, platform_id: str) -> dict | None:
    """Return what a platform's product or order id names here."""
    return get_db().platformLinks.find_one({"_id": f"{platform}:{kind}:{platform_id}"})


def link_by_inventory_item(platform: str, item_id: str) -> dict | None:
    """Return the product link holding this inventory item."""
    return get_db().platformLinks.find_one({"platform": platform, "inventoryItems": item_id})


def save_link(platform: str, kind: str, platform_id: str, fields: dict, at,
              session=None) -> None:
    """Create or replace what a platform's id names (its other fields kept)."""
    get_db().platformLinks.update_one(
        {"_id": f"{platform}:{kind}:{platform_id}"},
        {"$set": {**fields, "platform": platform, "kind": kind, "platformId": platform_id,
                  "updatedAt": at}}, upsert=True, session=session)


def set_level(link_id: str, item_id: str, location_id: str, available: int, at,
              session=None) -> dict | None:
    """Record one location's available count of an inventory item unless a later one is
    recorded (`at` None: always); return the link after, or None when it was later."""
    links, when = get_db().platformLinks, f"levelTimes.{item_id}.{location_id}"
    query: dict = {"_id": link_id}
    if at is not None:
        query["$or"] = [{when: None}, {when: {"$lte": at}}]
    changes = {f"levels.{item_id}.{location_id}": available} | ({when: at} if at else {})
    if not links.update_one(query, {"$set": changes}, session=session).matched_count:
        return None
    return links.find_one({"_id": link_id}, session=session)
