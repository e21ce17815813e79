"""Product reads: the catalogue for the search index, and products by sku."""

from __future__ import annotations

from datetime import datetime

from pymongo import ReturnDocument

from .. import catalog_version
from ..clock import now
from ..db import get_db, get_store

CHUNK = 500  # skus per $in of a lookup by skus
# The search index needs neither the stored keywords nor MongoDB's _id.
INDEXED = {"_id": 0, "keywords": 0}


def all_products() -> list[dict]:
    """Return every product, archived ones included, to build a search index from."""
    return list(get_db().products.find({}, INDEXED).sort("sku", 1))


def changes() -> int:
    """Return the catalogue's change counter (one document read by _id)."""
    return catalog_version.read(get_db())


def mark_changed() -> None:
    """Count a catalogue write, after it is made, for every worker's search index."""
    catalog_version.bump(get_db())


def versions() -> list[dict]:
    """Return the sku and updatedAt of every product, archived too, in sku order."""
    return list(get_db().products.find({}, {"_id": 0, "sku": 1, "updatedAt": 1}).sort("sku", 1))


def database_time() -> datetime:
    """Return the time by the database's clock (the process's, for the embedded store)."""
    if get_store().config.embedded:
        return now()
    try:
        return get_db().command("hello")["localTime"]
    except NotImplementedError:  # mongomock standing in for a server (tests): no clock of its own
        return now()


def written_after(at: datetime) -> bool:
    """Tell whether a product was written after `at` (one index entry read, at most)."""
    return get_db().products.find_one({"updatedAt": {"$gt": at}},
                                      {"_id": 0, "updatedAt": 1}) is not None


def versions_since(at: datetime) -> list[dict]:
    """Return the sku and updatedAt of every product written at or after `at`."""
    return list(get_db().products.find({"updatedAt": {"$gte": at}},
                                       {"_id": 0, "sku": 1, "updatedAt": 1}))


def find_for_index(skus: list[str]) -> list[dict]:
    """Return these products as the search index needs them."""
    return list(get_db().products.find({"sku": {"$in": skus}}, INDEXED))


def find_by_sku(sku: str) -> dict | None:
    """Return the product this sku or one of its variants' skus names, unless archived."""
    products = get_db().products
    found = products.find_one({"skus": sku, "archived": {"$ne": True}})
    # By `sku` too: a product stored before variants has no `skus` until start-up adds it.
    return found or products.find_one({"sku": sku, "archived": {"$ne": True}})


def find_by_skus(skus: list[str]) -> list[dict]:
    """Return the products these skus (or their variants' skus) name, archived ones too,
    in no particular order."""
    return named(skus)


def named(skus: list[str], projection: dict | None = None) -> list[dict]:
    """Return the products, archived too, that these skus name: as their own sku or a
    variant's (`skus`), or as the sku of a product stored before variants (no `skus`)."""
    products, found = get_db().products, []
    # In chunks: the embedded store checks each product it finds against the whole
    # list, so a batch's thousands of variant skus in one $in cost that many times over.
    for start in range(0, len(skus), CHUNK):
        found += products.find({"skus": {"$in": skus[start:start + CHUNK]}}, projection)
    held = {s for p in found for s in p.get("skus") or ()}
    rest = [s for s in skus if s not in held]
    # Equality on separate fields, not one $or: the embedded store looks each up in its
    # value map (an $or would scan every product).
    for start in range(0, len(rest), CHUNK):
        found += products.find({"sku": {"$in": rest[start:start + CHUNK]}}, projection)
    return list({p["sku"]: p for p in found}.values())


# -- the store's search steering: synonyms and rules --------------------------------------
RULE_FIELDS = {"_id": 0}


def steering_changes() -> int:
    """Return the search steering's change counter (one document read by _id)."""
    return catalog_version.read(get_db(), catalog_version.STEERING)


def _steering_changed() -> None:
    catalog_version.bump(get_db(), catalog_version.STEERING)


def all_rules() -> list[dict]:
    """Return every search rule, by id."""
    return list(get_db().searchRules.find({}, RULE_FIELDS).sort("ruleId", 1))


def find_rule(rule_id: str) -> dict | None:
    """Return one search rule, else None."""
    return get_db().searchRules.find_one({"ruleId": rule_id}, RULE_FIELDS)


def save_rule(rule_id: str, fields: dict, at: datetime) -> bool:
    """Create or replace a search rule; return whether it is new."""
    result = get_db().searchRules.update_one(
        {"ruleId": rule_id}, {"$set": {**fields, "updatedAt": at},
                              "$setOnInsert": {"createdAt": at}}, upsert=True)
    _steering_changed()
    return result.upserted_id is not None


def delete_rule(rule_id: str) -> bool:
    """Delete a search rule; return whether there was one."""
    deleted = get_db().searchRules.delete_one({"ruleId": rule_id}).deleted_count
    if deleted:
        _steering_changed()
    return bool(deleted)


def all_synonyms() -> list[dict]:
    """Return every synonym set: the one for all locales (locale null) and each locale's."""
    return list(get_db().searchSynonyms.find({}, {"_id": 0}).sort("locale", 1))


def save_synonyms(locale: str | None, fields: dict, at: datetime) -> dict:
    """Replace the synonyms of one locale (None: of every locale); return the set stored."""
    saved = get_db().searchSynonyms.find_one_and_update(
        {"locale": locale}, {"$set": {**fields, "locale": locale, "updatedAt": at}},
        {"_id": 0}, upsert=True, return_document=ReturnDocument.AFTER)
    _steering_changed()
    return saved
