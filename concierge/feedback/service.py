"""Record CSAT answers and notify an agent about poor ones."""

from __future__ import annotations

from flask import current_app, g
from marshmallow import ValidationError

from ..db import upsert_race_safe
from ..events import now
from ..ids import new_public_id
from ..requests import SESSION_HEADER
from . import outbox, repository
from .schemas import NO_INTENT

NOTIFY_AT_OR_BELOW = 2


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


def _notify_agent(doc: dict, at) -> None:
    notification = {"kind": "csat.low_rating", "csatId": doc["csatId"],
                    "sessionId": doc["sessionId"], "intent": doc["intent"],
                    "rating": doc["rating"], "comment": doc.get("comment"),
                    "reference": doc.get("reference"), "requestId": g.get("request_id"),
                    "status": "pending", "attempts": 0, "nextAttemptAt": at,
                    "createdAt": at}
    repository.add_notification(notification)
    url = current_app.config["CONCIERGE_AGENT_WEBHOOK_URL"]
    if url:
        outbox.deliver_soon(current_app._get_current_object(), url, notification["_id"])
