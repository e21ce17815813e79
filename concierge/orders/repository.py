"""Order queries."""

from ..db import get_db
from ..text import compact, order_key


def find_for_shopper(typed: str) -> dict | None:
    """Return the order a shopper means: "#gg 11982" finds GG-11982 (see text.order_key)."""
    return get_db().orders.find_one(
        {"$or": [{"orderKey": order_key(typed)}, {"orderNumber": compact(typed)}]})


def backfill_keys(db) -> int:
    """Give orders stored before order keys existed their key; return how many."""
    stale = list(db.orders.find({"orderKey": {"$exists": False}}, {"orderNumber": 1}))
    for doc in stale:
        db.orders.update_one({"_id": doc["_id"]},
                             {"$set": {"orderKey": order_key(doc["orderNumber"])}})
    return len(stale)


def find_by_number(order_number: str, session=None) -> dict | None:
    """Return the order with this (normalised) number."""
    return get_db().orders.find_one({"orderNumber": order_number}, session=session)
