"""Write the store's catalogue and orders: validated, derived fields computed, in bulk."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime, timedelta
from pathlib import Path

from marshmallow import ValidationError

from ..clock import now
from ..errors import flatten
from ..products.service import ProductNotFound, normal_sku
from ..schemas import iso_z
from ..text import compact, fold, keywords, order_key
from . import repository
from .schemas import DEFAULT_RANK, BatchOrderSchema, BatchProductSchema

IMAGES = Path(__file__).resolve().parents[2] / "static" / "img" / "products"
PLACEHOLDER_CATEGORY = "accessories"
SKU_PATTERN = re.compile(r"^[A-Z0-9-]{3,40}$")
VERSION_STEP = timedelta(milliseconds=1)
ORDER_NUMBER = re.compile(r"^#?[A-Z0-9_-]{3,32}$")  # Shopify names its orders "#1001"


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
    colors = _unique([c for c in (fold(color).strip() for color in data["colors"]) if c])
    tags = _unique(data.get("tags") or [])
    doc = {
        "sku": sku, "name": data["name"], "description": data["description"].strip(),
        "category": category, "price": data["price"], "colors": colors,
        "sizes": _unique(data["sizes"]), "stock": data["stock"], "tags": tags,
        "imageUrl": data.get("imageUrl") or _image_for(category),
        "url": data.get("url") or f"/demo?product={sku}",
        "rank": data.get("rank", DEFAULT_RANK), "inStock": data["stock"] > 0,
        # The same keywords the seed computes, so search treats both alike.
        "keywords": keywords(data["name"], data["description"], category, colors, tags),
    }
    doc["contentHash"] = _hash(doc)
    return doc


def product_sku(value: str) -> str:
    """Return a sku as stored (uppercase, trimmed), else raise a 422."""
    sku = normal_sku(value)
    # ASCII only: "ß".upper() is "SS", and such a sku would not read back as sent.
    if not value.isascii() or not SKU_PATTERN.match(sku):
        raise ValidationError({"sku": ["Must be a sku such as AUR-DR-0001."]})
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
    except ValidationError as error:
        return (sent if isinstance(sent, str) else None), None, flatten(error.messages)
    return key, build(key, data), None


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
    statuses = _write(kind, {key: doc for key, (_, doc) in pending.items()})
    for key, (index, _) in pending.items():
        results[index] = {field: key, "status": statuses[key]}
    return results


def _write(kind: str, docs: dict[str, dict]) -> dict[str, str]:
    """Upsert what differs from the store; return created/updated/unchanged per key."""
    field, *_, update = KINDS[kind]
    stored = repository.current(kind, field, list(docs),
                                {field: 1, "contentHash": 1, "archived": 1, "updatedAt": 1})
    statuses, writes, at = {}, [], now()
    for key, doc in docs.items():
        old = stored.get(key)
        if old and old.get("contentHash") == doc["contentHash"] and not old.get("archived"):
            statuses[key] = "unchanged"
        else:
            writes.append((key, update(doc, later_than(old, at))))
    created = repository.upsert_many(kind, field, writes)
    for key, _ in writes:
        statuses[key] = "created" if key in created else "updated"
    return statuses


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
    status = _write(kind, {key: build(key, data)})[key]
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
    product = repository.find_product(normal_sku(sku)) if len(sku) <= 40 else None
    if product is None:
        raise ProductNotFound(f"No product has the sku {sku[:40]!r}.")
    # Archiving again changes nothing: the repository archives only what is not archived.
    return repository.archive_product(product["sku"], later_than(product, now()))
