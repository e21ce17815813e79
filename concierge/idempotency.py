"""Idempotency keys: one mechanism for every endpoint that honours them."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from datetime import timedelta

from flask import Response, current_app, jsonify, request
from marshmallow import ValidationError
from pymongo.errors import DuplicateKeyError

from .clock import now
from .db import get_db
from .errors import BadRequest, Conflict, Unprocessable

HEADER = "Idempotency-Key"
KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,255}$")
# A request that has held its key this long without finishing is taken to
# have died (worker killed mid-request); a retry may then take the key over.
IN_FLIGHT_TIMEOUT = timedelta(seconds=60)

HEADER_DOC = {HEADER: {"required": False, "schema": {"type": "string",
              "pattern": KEY_PATTERN.pattern},
              "description": "Retry-safe key; same key and body replays the answer."}}


def key_from_request(required: bool) -> str | None:
    """Return the request's Idempotency-Key, validated."""
    key = request.headers.get(HEADER)
    if key is None:
        if required:
            raise BadRequest(f"Send an {HEADER} header (8-255 of A-Z a-z 0-9 _ -) "
                             "so that a retry cannot create a second record.",
                             code="idempotency_key_required",
                             title="Idempotency key required")
        return None
    if not KEY_PATTERN.match(key):
        raise ValidationError({HEADER: ["Must be 8-255 characters of A-Z a-z 0-9 _ -."]})
    return key


def fingerprint(scope: str, payload: dict) -> str:
    """Hash the validated body so that a reuse with another body is detected."""
    canonical = json.dumps(payload, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(f"{scope}\n{canonical}".encode()).hexdigest()


def _ttl() -> timedelta:
    return timedelta(days=current_app.config["RETENTION_DAYS"]["idempotencyKeys"])


def _claim(keys, doc_id: str, digest: str) -> dict | None:
    """Insert the key as in flight; return the existing record if there is one."""
    started = now()
    try:
        keys.insert_one({"_id": doc_id, "fingerprint": digest, "state": "in_flight",
                         "createdAt": started, "lockedAt": started})
        return None
    except DuplicateKeyError:
        pass
    existing = keys.find_one({"_id": doc_id})
    if existing is None:  # removed between our insert and our read: try once more
        return _claim(keys, doc_id, digest)
    if existing["createdAt"] <= started - _ttl():
        # Expired but not yet swept by the TTL monitor: start afresh.
        keys.delete_one({"_id": doc_id, "createdAt": existing["createdAt"]})
        return _claim(keys, doc_id, digest)
    if existing["state"] == "in_flight" and existing["fingerprint"] == digest:
        stale = started - IN_FLIGHT_TIMEOUT
        taken = keys.find_one_and_update(
            {"_id": doc_id, "state": "in_flight", "lockedAt": {"$lte": stale}},
            {"$set": {"lockedAt": started}})
        if taken is not None:
            return None
    return existing


def run(scope: str, key: str | None, payload: dict,
        action: Callable[[], tuple[dict, int]]) -> tuple[dict, int, dict]:
    """Run `action` at most once per key; return (body, status, headers)."""
    if key is None:
        body, status = action()
        return body, status, {}
    keys = get_db().idempotencyKeys
    doc_id = f"{scope}:{key}"
    digest = fingerprint(scope, payload)
    existing = _claim(keys, doc_id, digest)
    if existing is not None:
        if existing["fingerprint"] != digest:
            raise Unprocessable(
                f"This {HEADER} was already used with a different body; use a new key.",
                code="idempotency_key_reused", title="Idempotency key reused")
        if existing["state"] == "in_flight":
            raise Conflict(
                f"A request with this {HEADER} is still being processed; retry shortly.",
                code="idempotency_request_in_progress", title="Request in progress",
                headers={"Retry-After": "1"})
        return existing["body"], existing["status"], {"Idempotent-Replayed": "true"}
    try:
        body, status = action()
    except BaseException:
        # Nothing was created, so the key is released: a corrected retry may use it.
        keys.delete_one({"_id": doc_id, "state": "in_flight"})
        raise
    keys.update_one({"_id": doc_id},
                    {"$set": {"state": "done", "status": status, "body": body,
                              "completedAt": now()}})
    return body, status, {}




def respond(scope: str, payload: dict, action: Callable[[], tuple[dict, int]], *,
            required: bool) -> Response:
    """Answer a request once per Idempotency-Key; `action` returns an already-dumped body."""
    key = key_from_request(required)
    body, status, headers = run(scope, key, payload, action)
    response = jsonify(body)
    response.status_code = status
    response.headers.update(headers)
    return response
