"""Headers every answer carries: no sniffing, a referrer policy, no caching of the API."""

from __future__ import annotations

from flask import Flask, request

RETRY_STATUSES = {409, 429, 503}
EVERY_ANSWER = (("X-Content-Type-Options", "nosniff"),
                ("Referrer-Policy", "strict-origin-when-cross-origin"))
API_ANSWERS = (*EVERY_ANSWER, ("Cache-Control", "no-store"))


def _secure(response):
    headers = response.headers
    # One pass over the names, not one per header set: this runs on every answer.
    present = {name.lower() for name, _ in headers.items()}
    if "retry-after" in present and response.status_code not in RETRY_STATUSES:
        # flask-limiter's headers (RATELIMIT_HEADERS_ENABLED) add Retry-After to every
        # answer; it means something only where this app sets it: 429, 503 and 409
        # request-in-progress.
        del headers["Retry-After"]
    wanted = API_ANSWERS if request.path.startswith("/api/") else EVERY_ANSWER
    headers.extend([(name, value) for name, value in wanted if name.lower() not in present])
    return response


def init_app(app: Flask) -> None:
    """Set the headers on every answer."""
    app.after_request(_secure)
