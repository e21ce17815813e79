"""Domain errors and the problem+json envelope every error answers with."""

from __future__ import annotations

import logging
import math
import time

from flask import Flask, current_app, g, jsonify, request
from limits import parse as parse_limit
from marshmallow import ValidationError
from pymongo.errors import ConnectionFailure, ExecutionTimeout
from werkzeug.exceptions import HTTPException

from .durable import NotDurable
from .extensions import client_address, limiter

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"

# Codes for the HTTP errors Werkzeug and flask-limiter raise.
HTTP_CODES = {
    400: ("bad_request", "Bad request"),
    401: ("unauthorized", "Authentication required"),
    403: ("forbidden", "Forbidden"),
    404: ("not_found", "Not found"),
    405: ("method_not_allowed", "Method not allowed"),
    406: ("not_acceptable", "Not acceptable"),
    409: ("conflict", "Conflict"),
    413: ("payload_too_large", "Payload too large"),
    415: ("unsupported_media_type", "Unsupported media type"),
    422: ("validation_error", "Validation failed"),
    429: ("rate_limited", "Too many requests"),
    500: ("internal_error", "Internal server error"),
    503: ("service_unavailable", "Service unavailable"),
}


class ConciergeError(Exception):
    """An error a shopper or integrator can act on, with its HTTP answer."""

    status = 400
    code = "bad_request"
    title = "Bad request"

    def __init__(self, detail: str | None = None, *, code: str | None = None,
                 title: str | None = None, status: int | None = None,
                 headers: dict | None = None, **extra):
        super().__init__(detail or title or self.title)
        self.detail = detail
        self.code = code or self.code
        self.title = title or self.title
        self.status = status or self.status
        self.headers = headers or {}
        self.extra = extra


class BadRequest(ConciergeError):
    status, code, title = 400, "bad_request", "Bad request"


class MalformedJSON(ConciergeError):
    status, code, title = 400, "malformed_json", "Malformed JSON"


class Unauthorized(ConciergeError):
    status, code, title = 401, "unauthorized", "Authentication required"


class NotFound(ConciergeError):
    status, code, title = 404, "not_found", "Not found"


class Conflict(ConciergeError):
    status, code, title = 409, "conflict", "Conflict"


class PayloadTooLarge(ConciergeError):
    status, code, title = 413, "payload_too_large", "Payload too large"


class UnsupportedMediaType(ConciergeError):
    status, code, title = 415, "unsupported_media_type", "Unsupported media type"


class Unprocessable(ConciergeError):
    status, code, title = 422, "unprocessable", "Request cannot be processed"


class ServiceUnavailable(ConciergeError):
    status, code, title = 503, "service_unavailable", "Service unavailable"


class ConciergeDisabled(ServiceUnavailable):
    code, title = "concierge_disabled", "The concierge is not available for this session"


class DatabaseUnavailable(ServiceUnavailable):
    code, title = "database_unavailable", "The database is unavailable"


def problem(status: int, code: str, title: str, detail: str | None = None,
            headers: dict | None = None, **extra):
    """Build a problem+json response."""
    body = {"type": "about:blank", "title": title, "status": status, "code": code,
            "requestId": g.get("request_id")}
    if detail:
        body["detail"] = detail
    body.update(extra)
    response = jsonify(body)
    response.status_code = status
    response.content_type = PROBLEM_JSON
    response.headers.update(headers or {})
    return response


def _concierge_error(error: ConciergeError):
    return problem(error.status, error.code, error.title, error.detail,
                   error.headers, **error.extra)


def _validation_error(error: ValidationError):
    return problem(422, "validation_error", "Validation failed",
                   "One or more fields are invalid.", errors=flatten(error.messages))


def _unmatched_wait() -> int | None:
    """Count an answer no route gives (404, 405) for its client; past the budget, the wait.

    Such answers have no view to carry a limit, so UNMATCHED_LIMIT_PER_CLIENT is
    hit here, in flask-limiter's storage: made-up paths and methods cost a
    client as much as any other request.
    """
    if not current_app.config["RATELIMIT_ENABLED"]:
        return None
    item = parse_limit(current_app.config["UNMATCHED_LIMIT_PER_CLIENT"])
    keys = ("concierge", "unmatched", client_address())
    if limiter.limiter.hit(item, *keys):
        return None
    reset = limiter.limiter.get_window_stats(item, *keys).reset_time
    return max(1, math.ceil(reset - time.time()))


def _http_error(error: HTTPException):
    status = error.code or 500
    if status in (404, 405) and request.url_rule is None:
        wait = _unmatched_wait()
        if wait is not None:
            return problem(429, "rate_limited", "Too many requests",
                           "Too many requests for paths or methods that do not exist. "
                           "Try again later.", {"Retry-After": str(wait)})
    code, title = HTTP_CODES.get(status, ("http_error", error.name))
    headers = {}
    if status == 405 and error.valid_methods:
        headers["Allow"] = ", ".join(error.valid_methods)
    if status == 429:
        headers["Retry-After"] = str(_retry_after())
        detail = f"Rate limit exceeded ({error.description}). Try again later."
    else:
        detail = error.description if status != 500 else None
    return problem(status, code, title, detail, headers)


def _retry_after() -> int:
    current = limiter.current_limit
    if current is None:
        return 60
    reset = current.window[0]  # when the window ends (reset_at rounds it up by a second)
    return max(1, math.ceil(reset - time.time()))


def database_unavailable(error: Exception):
    """Answer 503 database_unavailable (the database, or the disk beneath it, failed)."""
    log.error("database unavailable: %s", error)
    return problem(503, "database_unavailable", "The database is unavailable",
                   "The concierge cannot reach its database. Try again shortly.",
                   {"Retry-After": "5"})


def _too_slow(error: Exception):
    log.warning("a query ran out of its time limit: %s", error)
    return problem(503, "query_timeout", "The query took too long",
                   "The database did not finish this in time. Try again, or a shorter "
                   "period.", {"Retry-After": "30"})


def _unexpected(error: Exception):
    log.exception("unhandled error")
    return problem(500, "internal_error", "Internal server error",
                   "Something went wrong on our side; quote the requestId if you contact us.")


def _problem_only(response):
    """Turn any error answer under /api that is not JSON into problem+json (a safety net)."""
    if (response.status_code < 400 or not request.path.startswith("/api/")
            or response.mimetype in {"application/json", PROBLEM_JSON}):
        return response
    log.error("non-JSON %s answer replaced by problem+json", response.status_code)
    code, title = HTTP_CODES.get(response.status_code, ("http_error", response.status))
    replacement = problem(response.status_code, code, title)
    for name in ("Allow", "Retry-After", "WWW-Authenticate"):
        if name in response.headers:
            replacement.headers[name] = response.headers[name]
    return replacement


def flatten(messages, prefix: str = "") -> dict[str, list[str]]:
    """Turn marshmallow's nested messages into {"items.0.quantity": [...]}."""
    flat: dict[str, list[str]] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            flat.update(flatten(value, path))
    elif isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        flat[prefix or "_schema"] = list(messages)
    else:
        flat[prefix or "_schema"] = [str(messages)]
    return flat


def register_error_handlers(app: Flask) -> None:
    """Map every error to problem+json."""
    app.register_error_handler(ConciergeError, _concierge_error)
    app.register_error_handler(ValidationError, _validation_error)
    app.register_error_handler(HTTPException, _http_error)
    # Server selection timeouts and network errors are all ConnectionFailures.
    app.register_error_handler(ConnectionFailure, database_unavailable)
    app.register_error_handler(NotDurable, database_unavailable)
    app.register_error_handler(ExecutionTimeout, _too_slow)
    app.register_error_handler(Exception, _unexpected)
    app.after_request(_problem_only)
