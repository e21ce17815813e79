"""Order queries."""

from ..db import get_db


def find_by_number(order_number: str, session=None) -> dict | None:
    """Return the order with this (normalised) number."""
    return get_db().orders.find_one({"orderNumber": order_number}, session=session)
