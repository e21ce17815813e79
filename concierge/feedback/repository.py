"""CSAT answers and the agent notification outbox."""

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


def add_notification(doc: dict) -> None:
    """Queue a notification in the outbox."""
    get_db().agentNotifications.insert_one(doc)


def claim_due(db, now: datetime, lease_until: datetime, lease_id: str,
              only_id=None) -> dict | None:
    """Atomically take one due notification for this worker.

    A pending one is due at nextAttemptAt; a claimed one ("sending") stores
    its lease end in nextAttemptAt, so a worker that died mid-send leaves it
    claimable again once the lease is over.
    """
    query: dict = {"status": {"$in": ["pending", "sending"]}, "nextAttemptAt": {"$lte": now}}
    if only_id is not None:
        query["_id"] = only_id
    return db.agentNotifications.find_one_and_update(
        query,
        {"$set": {"status": "sending", "nextAttemptAt": lease_until, "leaseId": lease_id},
         "$inc": {"attempts": 1}},
        sort=[("nextAttemptAt", 1)], return_document=ReturnDocument.AFTER)


def mark_delivered(db, doc_id, lease_id: str, at: datetime) -> bool:
    """Record the delivery, if this worker still holds the lease."""
    result = db.agentNotifications.update_one(
        {"_id": doc_id, "leaseId": lease_id},
        {"$set": {"status": "delivered", "deliveredAt": at}, "$unset": {"leaseId": ""}})
    return result.modified_count == 1


def mark_failed(db, doc_id, lease_id: str, retry_at: datetime, error: str) -> None:
    """Put the notification back for a later attempt."""
    db.agentNotifications.update_one(
        {"_id": doc_id, "leaseId": lease_id},
        {"$set": {"status": "pending", "nextAttemptAt": retry_at, "lastError": error},
         "$unset": {"leaseId": ""}})
