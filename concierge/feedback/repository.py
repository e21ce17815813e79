"""CSAT answers and the per-client count of low ratings."""

from __future__ import annotations

from datetime import datetime

from pymongo import ReturnDocument

from ..db import get_db


def upsert_answer(session_id: str, intent: str, fresh: dict, answer: dict) -> dict:
    """Write the session's one answer for the intent; `fresh` only when it is new."""
    return get_db().csatResponses.find_one_and_update(
        {"sessionId": session_id, "intent": intent},
        {"$setOnInsert": fresh, "$set": answer},
        upsert=True, return_document=ReturnDocument.AFTER)


def count_low_rating(key: str, expires_at: datetime) -> int:
    """Count one more low rating under the key (client and hour); return the count."""
    doc = get_db().notificationCaps.find_one_and_update(
        {"_id": key}, {"$inc": {"count": 1}, "$setOnInsert": {"expiresAt": expires_at}},
        upsert=True, return_document=ReturnDocument.AFTER)
    return doc["count"]
