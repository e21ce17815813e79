"""Merchant writes: API keys, products and orders (bulk upserts), order events."""

from __future__ import annotations

import logging

from pymongo import UpdateOne
from pymongo.errors import BulkWriteError

from ..db import get_db
from ..products import stock
from ..products.repository import mark_changed, named

log = logging.getLogger(__name__)

DUPLICATE_KEY = 11000
TIMELINE_MAX = 100  # timeline entries an order document carries (the latest by time)


def insert_key(doc: dict) -> None:
    """Store a new API key (its hash only)."""
    get_db().apiKeys.insert_one(doc)


def find_key(key_id: str) -> dict | None:
    """Return the API key with this id."""
    return get_db().apiKeys.find_one({"_id": key_id})


def list_keys() -> list[dict]:
    """Return every API key, oldest first."""
    return list(get_db().apiKeys.find().sort("createdAt"))


def revoke_key(key_id: str, at) -> dict | None:
    """Mark a key revoked (once); return it, or None when unknown."""
    keys = get_db().apiKeys
    keys.update_one({"_id": key_id, "revokedAt": None}, {"$set": {"revokedAt": at}})
    return keys.find_one({"_id": key_id})


def touch_key(key_id: str, at) -> None:
    """Record that a key was used."""
    get_db().apiKeys.update_one({"_id": key_id}, {"$set": {"lastUsedAt": at}})


def current(collection: str, field: str, values: list[str],
            projection: dict | None = None) -> dict[str, dict]:
    """Return the stored documents among `values` of `field`, keyed by it."""
    cursor = get_db()[collection].find({field: {"$in": values}}, projection)
    return {doc[field]: doc for doc in cursor}


def upsert_many(collection: str, field: str,
                writes: list[tuple[str, dict]]) -> tuple[set[str], set[str]]:
    """Upsert (key, update) pairs in one bulk_write; return the keys created and the keys
    a unique index refused (another document holds one of their unique values)."""
    if not writes:
        return set(), set()
    try:
        created, refused = _upsert_many(collection, field, writes)
    finally:  # even after an error: some of the batch may have landed
        if collection == "products":
            mark_changed()
    if collection == "products":
        stock.announce([sku for key, update in writes if key not in refused
                        for sku in stock.available_skus(update["$set"])])
    return created, refused


def _upsert_many(collection: str, field: str,
                 writes: list[tuple[str, dict]]) -> tuple[set[str], set[str]]:
    created, failed = _bulk_upsert(collection, field, writes)
    if not failed:
        return created, set()
    # Two writers inserted the same new key at once: the unique index refused the
    # later insert, which, tried again, finds the document and updates it. A write
    # refused again holds a value another document has (a product's variant sku,
    # claimed meanwhile by another worker): it is refused.
    again = [writes[i] for i in failed]
    retried, refused = _bulk_upsert(collection, field, again)
    return created | retried, {again[i][0] for i in refused}


def _bulk_upsert(collection: str, field: str,
                 writes: list[tuple[str, dict]]) -> tuple[set[str], list[int]]:
    """Upsert in one unordered bulk_write; return the keys created and the positions a
    unique index refused (any other error is raised)."""
    operations = [UpdateOne({field: key}, update, upsert=True) for key, update in writes]
    try:
        result = get_db()[collection].bulk_write(operations, ordered=False)
    except BulkWriteError as error:
        failed = error.details.get("writeErrors", [])
        if any(e.get("code") != DUPLICATE_KEY for e in failed):
            raise
        if error.details.get("writeConcernErrors"):
            # Applied on the primary, not yet confirmed by the write concern: the writes
            # are there (a 5xx would make the merchant resend what is stored).
            log.warning("%s: write concern not confirmed: %s", collection,
                        error.details["writeConcernErrors"][:1])
        return ({u["_id"] for u in error.details.get("upserted", [])},
                [e["index"] for e in failed])
    # _id is the key itself, so the upserted ids name the created documents
    # (their positions are not trusted: the embedded store misnumbers them).
    return set(result.upserted_ids.values()), []


def sku_holders(skus: list[str]) -> list[dict]:
    """Return the sku and skus of every product, archived too, named by one of these."""
    return named(skus, {"_id": 0, "sku": 1, "skus": 1})


def find_product(sku: str) -> dict | None:
    """Return the product with this sku, archived or not."""
    return get_db().products.find_one({"sku": sku})


def archive_product(sku: str, at) -> dict | None:
    """Archive a product (once); return it, or None when unknown."""
    products = get_db().products
    products.update_one({"sku": sku, "archived": {"$ne": True}},
                        {"$set": {"archived": True, "archivedAt": at, "updatedAt": at}})
    mark_changed()
    return products.find_one({"sku": sku})


def find_order(order_number: str) -> dict | None:
    """Return the order with this number."""
    return get_db().orders.find_one({"orderNumber": order_number})


def insert_event(doc: dict) -> None:
    """Store an order event; DuplicateKeyError when its eventId is known."""
    get_db().orderEvents.insert_one(doc)


def find_event(order_number: str, event_id: str) -> dict | None:
    """Return the stored event with this id."""
    return get_db().orderEvents.find_one({"orderNumber": order_number, "eventId": event_id})


def append_to_timeline(order_number: str, entry: dict, at) -> None:
    """Add an event to the order's timeline unless it is there already (the last ones kept)."""
    get_db().orders.update_one(
        {"orderNumber": order_number, "timeline.eventId": {"$ne": entry["eventId"]}},
        # Every event stays in orderEvents; the order carries the last TIMELINE_MAX to
        # arrive, so a carrier's noisy feed cannot grow it towards MongoDB's 16 MB.
        {"$push": {"timeline": {"$each": [entry], "$slice": -TIMELINE_MAX}},
         "$set": {"updatedAt": at}})


def set_status_if_latest(order_number: str, changes: dict, at) -> None:
    """Set the status when no event later than `at` has set it (arrival order aside)."""
    get_db().orders.update_one(
        {"orderNumber": order_number, "$or": [{"statusAt": {"$lte": at}}, {"statusAt": None}]},
        {"$set": {**changes, "statusAt": at}})


def claim_event_notice(event_key: dict, at) -> bool:
    """Claim the one right to announce this event (True for the first caller only)."""
    claimed = get_db().orderEvents.find_one_and_update(
        {**event_key, "announcedAt": None}, {"$set": {"announcedAt": at}})
    return claimed is not None


def mark_event_applied(event_key: dict, at) -> None:
    """Record that the event reached the order and the outbox."""
    get_db().orderEvents.update_one(event_key, {"$set": {"appliedAt": at}})



def products_named(skus: list[str]) -> list[dict]:
    """Return the products, archived too, these skus (their own or a variant's) name."""
    return named(skus)


def set_stock_levels(changes: list[tuple[dict, dict]]) -> set[str]:
    """Write (stored product, fields) pairs unless a product changed since it was read;
    return the skus of the products written."""
    if not changes:
        return set()
    products = get_db().products
    products.bulk_write([UpdateOne({"_id": old["_id"], "updatedAt": old.get("updatedAt")},
                                   {"$set": new}) for old, new in changes], ordered=False)
    mark_changed()
    # Which ones held: each write set an updatedAt no other write sets (later_than).
    wanted = {old["_id"]: new["updatedAt"] for old, new in changes}
    written = products.find({"_id": {"$in": list(wanted)}}, {"updatedAt": 1, "sku": 1})
    held = {doc["sku"] for doc in written if doc.get("updatedAt") == wanted[doc["_id"]]}
    # The one place stock levels are set: a variant back in stock is announced here.
    stock.announce([sku for old, new in changes if old["sku"] in held
                    for sku in stock.available_skus({**old, **new})])
    return held
