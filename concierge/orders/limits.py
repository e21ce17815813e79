"""Rate limits for every endpoint that checks an order's secondary factor."""

from flask import current_app, request

from ..extensions import limiter
from ..text import compact


def order_number_key() -> str:
    """Key the per-order limit by the normalised order number in the body."""
    body = request.get_json(silent=True)
    number = body.get("orderNumber") if isinstance(body, dict) else None
    return compact(number)[:32] if isinstance(number, str) else "-"


# Shared across lookup, returns and subscriptions: guesses at one order's
# email or postal code count together wherever they are tried, and only
# failed guesses (404) count, so a shopper who knows her details is never slowed.
per_order = limiter.shared_limit(
    lambda: current_app.config["ORDER_LOOKUP_LIMIT_PER_ORDER"], scope="order-factor",
    key_func=order_number_key, deduct_when=lambda response: response.status_code == 404,
    error_message="too many attempts for this order number")
per_client = limiter.shared_limit(
    lambda: current_app.config["ORDER_LOOKUP_LIMIT_PER_CLIENT"], scope="order-client",
    error_message="too many order lookups from this address")
