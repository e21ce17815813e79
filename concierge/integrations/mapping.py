"""Read the values of a platform's payload defensively: a wrong type is unmappable, not a 500."""

from __future__ import annotations

from datetime import UTC, datetime

from marshmallow import ValidationError

from ..merchant.service import order_number
from ..merchant.shopify import minor_units
from .errors import Unmappable


def text(value) -> str:
    """Return a string, number or nothing as trimmed text ("" for anything else)."""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, (str, int, float)):
        return str(value).strip()
    return ""


def platform_id(payload: dict, name: str = "id") -> str:
    """Return the platform's numeric id of an object, else raise Unmappable."""
    value = payload.get(name)
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).isdigit():
        raise Unmappable("missing_id", f"`{name}` is not the platform's numeric id.")
    return str(int(value))


def objects(value) -> list[dict]:
    """Return the objects of a list (anything else counts as none)."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def obj(value) -> dict:
    """Return the value when it is an object, else an empty one."""
    return value if isinstance(value, dict) else {}


def price(value, currency: str) -> dict:
    """Turn a platform's price ("129.00" or 129) into money, else raise Unmappable."""
    try:
        return {"amount": minor_units(text(value) or "x"), "currency": currency}
    except ValueError:
        raise Unmappable("unmappable_order", f"price {text(value)[:40]!r} is not a price.") \
            from None


def number(value: str) -> str:
    """Return an order number as stored (#1001 → 1001), else raise Unmappable."""
    try:
        return order_number(value.lstrip("#").strip())
    except ValidationError:
        raise Unmappable("unmappable_order", f"order number {value[:40]!r} cannot be kept "
                                             "(3-32 letters, digits, - and _).") from None


def when(value, naive_is_utc: bool = True) -> str:
    """Return a platform's timestamp as ISO 8601 UTC with a Z, else raise Unmappable."""
    raw = text(value)
    try:
        parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise Unmappable("unmappable_order", f"time {raw[:40]!r} is not ISO 8601.") from None
    if parsed.tzinfo is None and naive_is_utc:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).isoformat().replace("+00:00", "Z")


def instant(value) -> datetime | None:
    """Return a platform's version time (naive UTC, as stored), or None when it has none."""
    try:
        parsed = datetime.fromisoformat(text(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed
