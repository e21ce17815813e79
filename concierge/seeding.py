"""Load seed_data/ into the database idempotently."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

from pymongo.errors import BulkWriteError

from . import catalog_version
from .clock import now
from .flags import FLAG_ID
from .text import keywords, order_key

DUPLICATE_KEY = 11000
SEED_DIR = Path(__file__).resolve().parent.parent / "seed_data"


def _load(name: str) -> list[dict]:
    return json.loads((SEED_DIR / name).read_text(encoding="utf-8"))


@lru_cache(maxsize=1024)
def _keywords(name: str, description: str, category: str, colors: tuple, tags: tuple) -> tuple:
    # Every app a process makes seeds the same catalogue: fold its words once.
    return tuple(keywords(name, description, category, list(colors), list(tags)))


def product_document(raw: dict, at: datetime) -> dict:
    """Turn a catalogue entry into its stored product document."""
    doc = {k: v for k, v in raw.items() if k != "createdDaysAgo"}
    doc.update(
        _id=raw["sku"],
        inStock=raw["stock"] > 0,
        imageUrl=f"/static/img/products/{raw['category']}.svg",
        url=f"/demo?product={raw['sku']}",
        createdAt=at - timedelta(days=raw["createdDaysAgo"]),
        updatedAt=at,  # every product write sets it: search indexes poll for it
        archived=False,
        keywords=list(_keywords(raw["name"], raw["description"], raw["category"],
                                tuple(raw["colors"]), tuple(raw["tags"]))),
    )
    if raw.get("variants"):  # priced as the product, as a merchant body would give them
        doc["variants"] = [{**v, "price": raw["price"]} for v in raw["variants"]]
    # Every sku naming it (products/variants.py's skus_of; seeding sits below products).
    doc["skus"] = list(dict.fromkeys([doc["sku"], *(v["sku"] for v in doc.get("variants", ()))]))
    return doc


def order_document(raw: dict, products: dict, at: datetime) -> dict:
    """Turn an order fixture into its stored document, dates relative to `at`."""
    def ago(days):
        return at - timedelta(days=days)

    items = []
    for item in raw["items"]:
        product = products.get(item["sku"], {})
        items.append({"sku": item["sku"], "quantity": item["quantity"],
                      "name": item.get("name") or product["name"],
                      "price": item.get("price") or product["price"],
                      "returnable": item.get("returnable", True)})
    ahead = raw.get("estimatedDeliveryDaysAhead")
    delivered = raw.get("deliveredDaysAgo")
    return {
        "_id": raw["orderNumber"], "orderNumber": raw["orderNumber"],
        "orderKey": order_key(raw["orderNumber"]),
        "email": raw["email"], "postalCode": raw["postalCode"], "status": raw["status"],
        "carrier": raw["carrier"], "trackingNumber": raw["trackingNumber"],
        "placedAt": ago(raw["placedDaysAgo"]),
        "deliveredAt": ago(delivered) if delivered is not None else None,
        "estimatedDelivery": (at + timedelta(days=ahead)) if ahead is not None
        else ago(delivered),
        "items": items,
        "returnedQuantities": {},
        "timeline": [{"status": e["status"], "at": ago(e["daysAgo"]),
                      "description": e["description"], "location": e["location"]}
                     for e in raw["timeline"]],
        # Merchant events older than the newest fixture event leave the status as is.
        "statusAt": max(ago(e["daysAgo"]) for e in raw["timeline"]),
    }


def _upsert_all(collection, key: str, docs: list[dict]) -> dict:
    # One read of the keys present and one unordered insert of the rest, instead of an
    # upsert per document: the embedded store scans every document on each upsert.
    present = {d[key] for d in collection.find({key: {"$in": [d[key] for d in docs]}},
                                                {key: 1, "_id": 0} if key != "_id" else {key: 1})}
    missing = [doc for doc in docs if doc[key] not in present]
    inserted = 0
    if missing:
        try:
            inserted = len(collection.insert_many(missing, ordered=False).inserted_ids)
        except BulkWriteError as error:  # a concurrent seed inserted some of them first
            if any(e["code"] != DUPLICATE_KEY for e in error.details["writeErrors"]):
                raise
            inserted = error.details["nInserted"]
    return {"inserted": inserted, "existing": len(docs) - inserted}


def is_empty(db) -> bool:
    """Tell whether the store holds no catalogue, orders or capsules yet."""
    return all(db[name].find_one({}, {"_id": 1}) is None
               for name in ("products", "orders", "capsules"))


def own_data(db) -> list[str]:
    """Return the collections holding the store's own documents (anything not the demo's)."""
    demo = {"products": [p["sku"] for p in _load("products.json")],
            "orders": [o["orderNumber"] for o in _load("orders.json")],
            "capsules": [c["capsuleId"] for c in _load("capsules.json")]}
    return [name for name, ids in demo.items()
            if db[name].find_one({"_id": {"$nin": ids}}, {"_id": 1}) is not None]


def prepare_store(db) -> dict:
    """Switch the concierge on for shoppers unless the store has decided; add nothing else."""
    flags = db.featureFlags
    flags.update_one({"_id": FLAG_ID},
                     {"$setOnInsert": {"enabled": True, "canaryPercent": 100}}, upsert=True)
    return flags.find_one({"_id": FLAG_ID})


def seed(db, at: datetime | None = None) -> dict[str, dict]:
    """Insert what is missing, change nothing that exists; return counts."""
    at = at or now()
    raw_products = _load("products.json")
    products = [product_document(p, at) for p in raw_products]
    by_sku = {p["sku"]: p for p in products}
    orders = [order_document(o, by_sku, at) for o in _load("orders.json")]
    capsules = []
    for raw in _load("capsules.json"):
        capsules.append({**raw, "_id": raw["capsuleId"],
                         "imageUrl": f"/static/img/products/{raw['category']}.svg"})
    counts = {
        "products": _upsert_all(db.products, "sku", products),
        "orders": _upsert_all(db.orders, "orderNumber", orders),
        "capsules": _upsert_all(db.capsules, "capsuleId", capsules),
        "featureFlags": _upsert_all(
            db.featureFlags, "_id",
            [{"_id": FLAG_ID, "enabled": True, "canaryPercent": 100}]),
    }
    if counts["products"]["inserted"]:
        catalog_version.bump(db)
    return counts
