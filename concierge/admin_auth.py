"""The admin bearer token: checked by the moderation endpoints and /metrics."""

from __future__ import annotations

import functools
import hmac

from flask import current_app, request

from .errors import NotFound, Unauthorized

ADMIN_ERRORS = ((401, "unauthorized"), (404, "not_found"))


def admin_only(view):
    """Check the admin token inside the view's limits, so that failures are counted."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        require_admin()
        return view(*args, **kwargs)
    return wrapper


def require_admin() -> None:
    """Answer 404 when no admin token is configured and 401 without the right one."""
    token = current_app.config["CONCIERGE_ADMIN_TOKEN"]
    if not token:
        raise NotFound("The admin endpoints are switched off (no admin token configured).")
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    # compare_digest: the time taken does not tell how much of a guess was right.
    if scheme.lower() != "bearer" or not hmac.compare_digest(
            given.strip().encode(), token.encode()):
        raise Unauthorized("Send Authorization: Bearer <admin token>.",
                           headers={"WWW-Authenticate": 'Bearer realm="concierge-admin"'})
