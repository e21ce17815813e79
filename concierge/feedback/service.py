"""Record CSAT answers and notify an agent about poor ones."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from flask import current_app, g, request
from marshmallow import ValidationError

from .. import outbox
from ..clock import now
from ..db import get_db, upsert_race_safe
from ..ids import new_public_id
from ..request_ids import SESSION_HEADER
from . import repository
from .schemas import NO_INTENT

NOTIFY_AT_OR_BELOW = 2
CAP_WINDOW = timedelta(hours=1)


def submit(data: dict) -> tuple[dict, bool]:
    """Store the session's answer for the intent; return it and whether it is new."""
    session_id = g.get("session_id")
    if session_id is None:
        # The answer is keyed by session: without one it could not be updated.
        raise ValidationError({SESSION_HEADER: ["Required to rate the concierge."]})
    at, csat_id = now(), new_public_id()
    notify = data["rating"] <= NOTIFY_AT_OR_BELOW
    answer = {"rating": data["rating"], "comment": data.get("comment"),
              "reference": data.get("reference"), "agentNotified": notify,
              "requestId": g.get("request_id"), "updatedAt": at}
    intent = data.get("intent", NO_INTENT)
    args = (session_id, intent, {"csatId": csat_id, "createdAt": at}, answer)
    doc = upsert_race_safe(lambda: repository.upsert_answer(*args))
    if notify:
        _notify_agent(doc, at)
    return doc, doc["csatId"] == csat_id


def session_hash(session_id: str) -> str:
    """Return what a webhook says of a session: the same for its ratings, useless to act as it."""
    return hashlib.sha256(session_id.encode()).hexdigest()[:32]


def _notify_agent(doc: dict, at) -> None:
    """Queue csat.low_rating; past the per-client cap, fold repeats into one summary.

    Fresh session ids cost nothing, so the cap counts by client address: the
    first CSAT_NOTIFY_LIMIT_PER_CLIENT low ratings of a clock hour notify at
    once, the rest of that hour become one notification sent when it ends.
    """
    # A hash, never the session id: with it a receiver could rate in the shopper's name.
    data = {"csatId": doc["csatId"], "rating": doc["rating"], "intent": doc["intent"],
            "comment": doc.get("comment"), "sessionHash": session_hash(doc["sessionId"])}
    hour = at.replace(minute=0, second=0, microsecond=0)
    client = hashlib.sha256((request.remote_addr or "unknown").encode()).hexdigest()[:24]
    key = f"csat.low_rating:{client}:{hour.isoformat()}"
    count = upsert_race_safe(lambda: repository.count_low_rating(key, hour + CAP_WINDOW))
    if count <= current_app.config["CSAT_NOTIFY_LIMIT_PER_CLIENT"]:
        outbox.enqueue(get_db(), "csat.low_rating", data)
    else:
        outbox.collapse(get_db(), "csat.low_rating", key, data, hour + CAP_WINDOW)
