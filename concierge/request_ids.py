"""The request id (X-Request-ID) and the shopper's session header, read once per request."""

from __future__ import annotations

import random
import re

from flask import Flask, g, request
from marshmallow import ValidationError

REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,128}$")
SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
SESSION_HEADER = "X-Concierge-Session"


def _read_ids() -> None:
    sent = request.headers.get("X-Request-ID", "")
    # Unique, not secret: the seeded PRNG (reseeded in each forked worker) spares a
    # system call per request, whose GIL hand-back stalled busy threaded workers.
    g.request_id = sent if REQUEST_ID.match(sent) else f"{random.getrandbits(96):024x}"
    session = request.headers.get(SESSION_HEADER)
    g.session_id = None
    if session is not None:
        if not SESSION_ID.match(session):
            raise ValidationError(
                {SESSION_HEADER: ["Must be 16-64 characters of A-Z a-z 0-9 _ -."]})
        g.session_id = session


def _send_request_id(response):
    response.headers["X-Request-ID"] = g.get("request_id", "")
    return response


def init_app(app: Flask) -> None:
    """Give every request an id (the client's when well-formed) and echo it on the answer."""
    app.before_request(_read_ids)
    app.after_request(_send_request_id)
