"""Find an order by its number and a secondary factor."""

from __future__ import annotations

import hmac

from ..errors import NotFound
from ..text import compact, normal_email
from . import repository


class OrderNotFound(NotFound):
    """The same answer for an unknown order and a wrong secondary factor."""

    code, title = "order_not_found", "Order not found"

    def __init__(self):
        super().__init__("No order matches this order number and email or postal code.")


def _same(given: str | None, stored: str | None) -> bool:
    # compare_digest refuses non-ASCII str: compare the UTF-8 bytes, so "é" is a wrong
    # guess like any other (404, counted), never an error that tells the order exists.
    return bool(given) and bool(stored) and hmac.compare_digest(
        given.encode("utf-8", "surrogatepass"), stored.encode("utf-8", "surrogatepass"))


def find_order(order_number: str, email: str | None = None,
               postal_code: str | None = None) -> dict:
    """Return the order when every factor given matches, else raise OrderNotFound."""
    order = repository.find_for_shopper(order_number)
    stored_email = normal_email(order["email"]) if order else ""
    stored_postal = compact(order.get("postalCode") or "") if order else ""
    checks = []
    if email:
        checks.append(_same(normal_email(email), stored_email))
    if postal_code:
        checks.append(_same(compact(postal_code), stored_postal))
    # Compare every factor even when the order is missing, so both answers cost alike.
    if order is None or not checks or not all(checks):
        raise OrderNotFound()
    order["timeline"] = sorted(order.get("timeline", []), key=lambda e: e["at"])
    return order


def find_order_for(factors: dict) -> dict:
    """Return the order named by a loaded OrderFactorsSchema."""
    return find_order(factors["orderNumber"], factors.get("email"), factors.get("postalCode"))
