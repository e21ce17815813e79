"""Bearer API keys on the merchant endpoints: 401 without a valid key, 403 without the scope."""

from __future__ import annotations

import functools

from flask import current_app, g, request

from .. import api
from ..errors import ConciergeError, Unauthorized
from . import keys

REALM = 'Bearer realm="concierge-merchant"'
SCHEME = "merchantKey"


class InsufficientScope(ConciergeError):
    """The key is valid but lacks the scope this endpoint needs."""

    status, code, title = 403, "insufficient_scope", "The API key lacks a scope"


def authenticate() -> None:
    """Identify the caller by its bearer key; answer 401 when missing or wrong."""
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    given = given.strip()
    if scheme.lower() != "bearer" or not given:
        raise Unauthorized("Send Authorization: Bearer <merchant API key>.",
                           headers={"WWW-Authenticate": REALM})
    caller = keys.authenticate(given, current_app.config["CONCIERGE_MERCHANT_KEY"])
    if caller is None:
        raise Unauthorized("The API key is wrong or revoked.", headers={
            "WWW-Authenticate": f'{REALM}, error="invalid_token"'})
    g.merchant = caller


def requires(scope: str):
    """Refuse the view with 401 without a valid key, 403 unless it has `scope`."""
    def decorator(view):
        @api.scopes(scope)
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            # Inside the rate-limited view (not before_request), so a 401 counts as a guess.
            authenticate()
            if scope not in g.merchant.scopes:
                raise InsufficientScope(
                    f"This endpoint needs the {scope} scope.", headers={
                        "WWW-Authenticate": f'{REALM}, error="insufficient_scope", '
                                            f'scope="{scope}"'})
            return view(*args, **kwargs)
        return wrapper
    return decorator
