"""Write the store's catalogue and orders: validated, derived fields computed, in bulk."""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import threading
from datetime import datetime, timedelta
from pathlib import Path

from marshmallow import ValidationError

from ..clock import now
from ..errors import flatten
from ..products.schemas import SKU, SKU_MAX, SKU_PATTERN
from ..products.service import ProductNotFound, normal_sku
from ..products.variants import skus_of
from ..schemas import iso_z
from ..text import compact, fold, keywords, order_key
from . import repository
from .schemas import DEFAULT_RANK, BatchOrderSchema, BatchProductSchema

IMAGES = Path(__file__).resolve().parents[2] / "static" / "img" / "products"
PLACEHOLDER_CATEGORY = "accessories"
SKU_STORED = re.compile(SKU_PATTERN.replace("a-z", ""))  # stored upper-case
VERSION_STEP = timedelta(milliseconds=1)
ORDER_NUMBER = re.compile(r"^#?[A-Z0-9_-]{3,32}$")  # Shopify names its orders "#1001"
# The stored fields a product's content hash covers (what product_fields computes).
HASHED = ("sku", "name", "description", "category", "price", "colors", "sizes", "stock",
          "tags", "imageUrl", "url", "rank", "inStock", "keywords", "variants", "translations")


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _hash(doc: dict) -> str:
    canonical = json.dumps(doc, sort_keys=True, default=iso_z, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _image_for(category: str) -> str:
    name = category if (IMAGES / f"{category}.svg").is_file() else PLACEHOLDER_CATEGORY
    return f"/static/img/products/{name}.svg"


def product_fields(sku: str, data: dict) -> dict:
    """Turn a validated product body into its stored fields, derived ones included."""
    # Folding can leave spaces or nothing ("¨" is a space and a combining mark).
    category = fold(data["category"]).strip() or data["category"].lower()
    tags = _unique(data.get("tags") or [])
    variants = [_variant(v, data.get("price")) for v in data.get("variants") or ()]
    for index, variant in enumerate(variants):
        if variant["sku"] == sku:
            raise ValidationError({f"variants.{index}.sku": [
                "Must differ from the product's own sku (a product without variants "
                "is its own one variant)."]})
    if variants:  # derived: union in the variants' order (or as sent), sum, lowest
        colors = data.get("colors") or [v["color"] for v in variants if v["color"]]
        sizes = data.get("sizes") or [v["size"] for v in variants if v["size"]]
        stock = sum(v["stock"] for v in variants)
        price = min((v["price"] for v in variants), key=lambda p: p["amount"])
    else:
        colors, sizes, stock, price = data["colors"], data["sizes"], data["stock"], data["price"]
    colors = _unique([c for c in (fold(color).strip() for color in colors) if c])
    doc = {
        "sku": sku, "name": data["name"], "description": data["description"].strip(),
        "category": category, "price": price, "colors": colors,
        "sizes": _unique(sizes), "stock": stock, "tags": tags,
        "imageUrl": data.get("imageUrl") or _image_for(category),
        "url": data.get("url") or f"/demo?product={sku}",
        "rank": data.get("rank", DEFAULT_RANK), "inStock": stock > 0,
        # The same keywords the seed computes, so search treats both alike.
        "keywords": keywords(data["name"], data["description"], category, colors, tags),
    }
    if variants:
        doc["variants"] = variants
    if data.get("translations"):
        doc["translations"] = {locale: {k: v.strip() for k, v in words.items()}
                               for locale, words in sorted(data["translations"].items())}
    doc["contentHash"] = _hash(doc)  # skus left out: derived, and the same hash as before
    doc["skus"] = skus_of(doc)
    return doc


def _variant(data: dict, price: dict | None) -> dict:
    color = fold(data.get("color") or "").strip() or None
    variant = {"sku": normal_sku(data["sku"]), "size": data.get("size") or None,
               "color": color, "stock": data["stock"], "price": data.get("price") or price}
    if data.get("barcode"):
        variant["barcode"] = data["barcode"]
    return variant


def rehash(product: dict) -> str:
    """Return the content hash of a stored product (after a change made in place)."""
    return _hash({k: product[k] for k in HASHED if k in product})


def product_sku(value: str) -> str:
    """Return a sku as stored (uppercase, trimmed), else raise a 422."""
    sku = normal_sku(value)
    # ASCII only: "ß".upper() is "SS", and such a sku would not read back as sent.
    if not value.isascii() or not SKU_STORED.match(sku):
        raise ValidationError({"sku": [SKU.error]})
    return sku


def order_number(value: str) -> str:
    """Return an order number as stored (uppercase, no spaces), else raise a 422."""
    number = compact(value)
    if not value.isascii() or not ORDER_NUMBER.match(number):
        raise ValidationError({"orderNumber": [
            "Must be 3-32 characters of A-Z 0-9 _ -, after an optional # (spaces are "
            "dropped)."]})
    return number


def order_fields(number: str, data: dict) -> dict:
    """Turn a validated order body into its stored fields."""
    doc = {"orderNumber": number, "email": data["email"]}
    for name in ("postalCode", "status", "placedAt", "carrier", "trackingNumber",
                 "trackingUrl", "estimatedDelivery", "deliveredAt"):
        doc[name] = data.get(name)
    doc["items"] = [{**item, "sku": normal_sku(item["sku"])} for item in data["items"]]
    doc["contentHash"] = _hash(doc)
    doc["orderKey"] = order_key(number)  # derived from the number: not in the content hash
    return doc


def _product_update(doc: dict, at) -> dict:
    return {"$set": {**doc, "archived": False, "archivedAt": None, "updatedAt": at},
            "$setOnInsert": {"_id": doc["sku"], "createdAt": at}}


def _order_update(doc: dict, at) -> dict:
    # The status of a PUT holds until an event later than the order's own dates.
    status_at = max(d for d in (doc["placedAt"], doc["deliveredAt"]) if d is not None)
    return {"$set": {**doc, "updatedAt": at},
            "$setOnInsert": {"_id": doc["orderNumber"], "createdAt": at, "timeline": [],
                             "returnedQuantities": {}},
            "$max": {"statusAt": status_at}}


KINDS = {
    "products": ("sku", BatchProductSchema, product_sku, product_fields, _product_update),
    "orders": ("orderNumber", BatchOrderSchema, order_number, order_fields, _order_update),
}


def _load(kind: str, raw: dict) -> tuple[str | None, dict | None, dict | None]:
    """Validate one element: (key, stored fields, None) or (key as sent, None, errors)."""
    field, schema, normal, build, _ = KINDS[kind]
    sent = raw.get(field) if isinstance(raw, dict) else None
    try:
        data = schema().load(raw)
        key = normal(data.pop(field))
        return key, build(key, data), None
    except ValidationError as error:
        return (sent if isinstance(sent, str) else None), None, flatten(error.messages)


def save(kind: str, raws: list[dict]) -> list[dict]:
    """Validate and upsert a batch; return each element's result, in order.

    One invalid element is rejected alone; the valid ones are written in one
    bulk_write, and an element identical to what is stored is not written.
    """
    field = KINDS[kind][0]
    results: list[dict | None] = [None] * len(raws)
    pending: dict[str, tuple[int, dict]] = {}
    for index, raw in enumerate(raws):
        key, doc, errors = _load(kind, raw)
        if doc is not None and key in pending:
            errors = {field: [f"Repeats element {pending[key][0]} of this batch."]}
        if errors:
            results[index] = {field: key, "status": "rejected", "errors": errors}
        else:
            pending[key] = (index, doc)
    outcomes = _write(kind, {key: doc for key, (_, doc) in pending.items()})
    for key, (index, _) in pending.items():
        status, errors = outcomes[key]
        results[index] = {field: key, "status": status} | ({"errors": errors} if errors else {})
    return results


# Product writes of this process check and claim skus one at a time: the embedded store
# (one process) has no multikey unique index; on MongoDB, `skus_unique` also stops
# another worker's claim made between the check and the write.
# Re-entrant: a caller writing several documents holds it around them (writing_catalogue).
_CLAIMS = threading.RLock()


def writing_catalogue():
    """Return the catalogue's write lock, to take before a transaction that writes products.

    The embedded store's transaction holds the store's own lock: taking this one first
    keeps the order every product write takes them in (never the other way round).
    """
    return _CLAIMS


def _write(kind: str, docs: dict[str, dict]) -> dict[str, tuple[str, dict | None]]:
    """Upsert what differs from the store; return (status, errors) per key."""
    field, *_, update = KINDS[kind]
    with _CLAIMS if kind == "products" else contextlib.nullcontext():
        outcomes = _sku_conflicts(docs) if kind == "products" else {}
        stored = repository.current(kind, field, [k for k in docs if k not in outcomes],
                                    {field: 1, "contentHash": 1, "archived": 1,
                                     "updatedAt": 1})
        writes, at = [], now()
        for key, doc in docs.items():
            old = stored.get(key)
            if key in outcomes:
                continue
            if old and old.get("contentHash") == doc["contentHash"] and not old.get("archived"):
                outcomes[key] = ("unchanged", None)
            else:
                writes.append((key, update(doc, later_than(old, at))))
        created, refused = repository.upsert_many(kind, field, writes)
    for key, _ in writes:
        outcomes[key] = (("rejected", _taken(docs[key])) if key in refused
                         else ("created" if key in created else "updated", None))
    return outcomes


def _taken(doc: dict) -> dict:
    name = "variants" if doc.get("variants") else "sku"
    return {name: ["Another product took one of these skus meanwhile; nothing was written."]}


def _sku_conflicts(docs: dict[str, dict]) -> dict[str, tuple[str, dict]]:
    """Reject each product naming a sku another product holds (stored or earlier here)."""
    wanted = {sku: key for key, doc in reversed(docs.items()) for sku in doc["skus"]}
    held = {sku: (holder["sku"], "stored")
            for holder in (repository.sku_holders(list(wanted)) if wanted else ())
            for sku in holder.get("skus") or [holder["sku"]]}
    conflicts: dict[str, tuple[str, dict]] = {}
    for key, doc in docs.items():
        errors = {}
        for sku in doc["skus"]:
            owner, where = held.get(sku) or (wanted[sku], "batch")
            if owner == key:
                continue
            whose = "the sku" if owner == sku else "a variant sku"
            place = "" if where == "stored" else " in this batch"
            errors[_sku_field(doc, sku)] = [f"Already {whose} of product {owner}{place}."]
        if errors:
            conflicts[key] = ("rejected", errors)
    return conflicts


def _sku_field(doc: dict, sku: str) -> str:
    if sku == doc["sku"]:
        return "sku"
    index = next(i for i, v in enumerate(doc["variants"]) if v["sku"] == sku)
    return f"variants.{index}.sku"


def counts(results: list[dict]) -> dict[str, int]:
    """Count the results by status."""
    tally = dict.fromkeys(("created", "updated", "unchanged", "rejected"), 0)
    for result in results:
        tally[result["status"]] += 1
    return tally


def put_one(kind: str, key: str, data: dict) -> tuple[dict, str]:
    """Create or replace one validated element; return it as stored and its result."""
    _, _, normal, build, _ = KINDS[kind]
    key = normal(key)
    status, errors = _write(kind, {key: build(key, data)})[key]
    if errors:
        raise ValidationError(errors)
    find = repository.find_product if kind == "products" else repository.find_order
    return find(key), status


def later_than(stored: dict | None, at: datetime) -> datetime:
    """Return `at`, or just after the stored updatedAt, so every write is a new version.

    Search indexes re-read a product when its updatedAt changes; two writes within
    one millisecond must not look like one.
    """
    previous = (stored or {}).get("updatedAt")
    return max(at, previous + VERSION_STEP) if previous else at


def archive(sku: str) -> dict:
    """Archive a product: gone from search and its page, kept for orders and shortlists."""
    product = repository.find_product(normal_sku(sku)) if len(sku) <= SKU_MAX else None
    if product is None:
        raise ProductNotFound(f"No product has the sku {sku[:SKU_MAX]!r}.")
    # Archiving again changes nothing: the repository archives only what is not archived.
    return repository.archive_product(product["sku"], later_than(product, now()))
