"""Headers every answer carries: no sniffing, a referrer policy, no caching of the API."""

from __future__ import annotations

from flask import Flask, request

RETRY_STATUSES = {409, 429, 503}


def _secure(response):
    headers = response.headers
    if response.status_code not in RETRY_STATUSES and "Retry-After" in headers:
        # flask-limiter's headers (RATELIMIT_HEADERS_ENABLED) add Retry-After to every
        # answer; it means something only where this app sets it: 429, 503 and 409
        # request-in-progress.
        del headers["Retry-After"]
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    if request.path.startswith("/api/"):
        headers.setdefault("Cache-Control", "no-store")
    return response


def init_app(app: Flask) -> None:
    """Set the headers on every answer."""
    app.after_request(_secure)
