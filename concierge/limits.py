"""Rate limits, each named once, read from the settings and shown in the OpenAPI document."""

from __future__ import annotations

from flask import current_app

from .api import json_body, note_limit
from .errors import ConciergeError
from .extensions import client_address, limiter
from .text import order_key


def order_number_key() -> str:
    """Key the per-order limit by the order number normalised as the lookup does."""
    try:
        body = json_body()  # the view's own parser: deep or broken JSON is its 400, not ours
    except ConciergeError:
        return "-"
    number = body.get("orderNumber") if isinstance(body, dict) else None
    # Matched as the lookup matches: "#gg-11982" and "GG11982" spend one budget.
    key = order_key(number)[:32] if isinstance(number, str) else "-"
    # Order numbers are ASCII; anything else (a lone surrogate included) finds no order.
    return key if key.isascii() else "-"


def client_order_key() -> str:
    """Key the per-client-and-order limit by the client address and the order number."""
    return f"{client_address()}/{order_number_key()}"


def _limit(setting: str, scope: str, per: str, **options):
    """Return a decorator applying the setting's limit, shared by every view using it."""
    shared = limiter.shared_limit(lambda: current_app.config[setting], scope=scope,
                                  **options)

    def decorator(view):
        note_limit(view, setting, per)
        return shared(view)
    return decorator


reads = _limit("READ_LIMIT_PER_CLIENT", "reads", "per client address")
writes = _limit("WRITE_LIMIT_PER_CLIENT", "writes", "per client address")
uploads = _limit("UPLOAD_LIMIT_PER_CLIENT", "uploads", "per client address")
analytics = _limit("EVENTS_LIMIT_PER_CLIENT", "events", "per client address")
# One-click unsubscribes (RFC 8058) arrive from a mailbox provider's few addresses on
# behalf of all its users: their own generous budget, never the writes'.
unsubscribes = _limit("UNSUBSCRIBE_LIMIT_PER_CLIENT", "unsubscribes", "per client address")
order_lookups = _limit("ORDER_LOOKUP_LIMIT_PER_CLIENT", "order-client",
                       "per client address, order checks")
# Guesses at one order's email or postal code count together wherever they are
# tried (lookup, returns, subscriptions), and only failed guesses (404) count,
# so a shopper who knows her details is never slowed down. Two budgets: a small
# one per client address and order stops one guesser without touching anyone
# else, so a stranger cannot lock the owner out; a larger one per order stops
# guessing spread over many addresses (docs/deploy.md, "Order guessing").
_guesses_per_client = _limit("ORDER_LOOKUP_LIMIT_PER_CLIENT_ORDER", "order-client-factor",
                             "per client address and order number, failed checks only",
                             key_func=client_order_key,
                             deduct_when=lambda response: response.status_code == 404)
_guesses_per_order = _limit("ORDER_LOOKUP_LIMIT_PER_ORDER", "order-factor",
                            "per order number from every address, failed checks only",
                            key_func=order_number_key,
                            deduct_when=lambda response: response.status_code == 404)


def order_guesses(view):
    """Apply both order-guess budgets."""
    return _guesses_per_order(_guesses_per_client(view))


# Wrong admin tokens count per client address like order guesses; the views
# check the token inside this limit (admin_auth.admin_only).
admin_failures = _limit("ADMIN_AUTH_LIMIT_PER_CLIENT", "admin-auth",
                        "per client address, failed sign-ins only",
                        deduct_when=lambda response: response.status_code == 401)
# The same budget for pages outside the JSON API (the console's sign-in, /metrics):
# counted together with admin_failures, and not listed in the OpenAPI document.
admin_failures_unlisted = limiter.shared_limit(
    lambda: current_app.config["ADMIN_AUTH_LIMIT_PER_CLIENT"], scope="admin-auth",
    deduct_when=lambda response: response.status_code == 401)
# Merchant API: calls per client address, and wrong keys counted apart (only 401s),
# like order guesses, so key guessing stops long before it could succeed.
merchant_calls = _limit("MERCHANT_LIMIT_PER_CLIENT", "merchant", "per client address")
merchant_auth_failures = _limit("MERCHANT_AUTH_LIMIT_PER_CLIENT", "merchant-auth",
                                "per client address, wrong or missing keys only",
                                deduct_when=lambda response: response.status_code == 401)

# Store-platform webhooks with a wrong or missing signature: the merchant API's budget for
# wrong keys, counted apart (only 401s), so a well-signed burst is never slowed.
platform_signature_failures = _limit("MERCHANT_AUTH_LIMIT_PER_CLIENT", "platform-auth",
                                     "per client address, wrong or missing signatures only",
                                     deduct_when=lambda response: response.status_code == 401)
