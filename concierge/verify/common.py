"""What the rows share: seed fixtures, timestamps, idempotency keys, index checks."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from ..db import INDEXES
from .rows import Row

TRACKED = {"orderNumber": "GG-11982", "email": "avery.stone@example.com"}
RETURNABLE = {"orderNumber": "GG-10457", "email": "jordan.lee@example.com"}
WINDOW_CLOSED = {"orderNumber": "GG-10212", "email": "casey.morgan@example.com"}
PRODUCT_FIELDS = ("sku", "name", "category", "price", "colors", "sizes", "imageUrl", "url",
                  "inStock")
INTENTS = ("products", "order_tracking", "returns", "capsules", "shortlist", "stylist",
           "inspiration", "order_updates", "feedback")
FLAG_ID = "concierge.realEndpointsEnabled"


def instant(value) -> datetime | None:
    """Return an API timestamp or a stored datetime as an aware UTC datetime (ms)."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    if not isinstance(value, datetime):
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).replace(microsecond=value.microsecond // 1000 * 1000)


def iso_z(value) -> bool:
    """Tell whether a value is an ISO 8601 UTC string ending in Z."""
    return isinstance(value, str) and value.endswith("Z") and instant(value) is not None


def guarded_by(row: Row, db, name: str) -> None:
    """Check that a declared unique index carrying a rule exists as declared in the database."""
    index = next(i for i in INDEXES if i.name == name)
    info = db.indexes(index.collection).get(name) or {}
    keys = [tuple(k) for k in info.get("key", [])]
    partial = f", partial {index.partial}" if index.partial else ""
    row.check(bool(info.get("unique")) and keys == list(index.keys)
              and info.get("partialFilterExpression") == index.partial,
              f"DB {index.collection}: unique index {name} on "
              f"({', '.join(k for k, _ in index.keys)}){partial} carries the rule",
              info or "missing")


def key() -> str:
    """Return a fresh Idempotency-Key."""
    return f"verify-{secrets.token_urlsafe(18)}"
