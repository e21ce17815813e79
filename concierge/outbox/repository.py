"""Outbox documents: one per delivery, claimed with a lease."""

from __future__ import annotations

from datetime import datetime

from pymongo import ASCENDING, ReturnDocument

COLLECTION = "outbox"
# A claimed delivery is "sending" with its lease end in nextAttemptAt, so a
# worker that died mid-send leaves it claimable again once the lease is over.
CLAIMABLE = ["pending", "sending"]
RETRYABLE = ["failed", "pending"]


def insert(db, docs: list[dict], session=None) -> None:
    """Store the deliveries of one event."""
    db[COLLECTION].insert_many(docs, session=session)


def count_email(db, key: str, expires_at: datetime) -> int:
    """Count one more email under the key (address and hour); return the count.

    Kept in notificationCaps beside the CSAT caps (its TTL index drops old hours).
    """
    doc = db.notificationCaps.find_one_and_update(
        {"_id": key}, {"$inc": {"count": 1}, "$setOnInsert": {"expiresAt": expires_at}},
        upsert=True, return_document=ReturnDocument.AFTER)
    return doc["count"]


def fold(db, delivery: dict, counter: str) -> None:
    """Upsert a pending delivery: its latest data, and one more in data.<counter>."""
    first = dict(delivery)
    pending = {"_id": first.pop("_id"), "status": first.pop("status")}
    # Field by field: a whole `data` beside `data.<counter>` is a path conflict on MongoDB.
    fields = {f"data.{name}": value for name, value in first.pop("data").items()}
    # Each folded event's subjects stay findable (a shopper's erasure finds the summary).
    subjects = {"subjects": {"$each": first.pop("subjects", [])}}
    db[COLLECTION].update_one(
        pending, {"$setOnInsert": first, "$set": fields, "$inc": {f"data.{counter}": 1},
                  "$addToSet": subjects},
        upsert=True)


def claim_due(db, channels: list[str], now: datetime, lease_until: datetime,
              lease_id: str) -> dict | None:
    """Atomically take one due delivery of these channels for this worker."""
    return db[COLLECTION].find_one_and_update(
        {"status": {"$in": CLAIMABLE}, "channel": {"$in": channels},
         "nextAttemptAt": {"$lte": now}},
        {"$set": {"status": "sending", "nextAttemptAt": lease_until, "leaseId": lease_id},
         "$inc": {"attempts": 1}, "$min": {"firstAttemptAt": now}},
        sort=[("nextAttemptAt", ASCENDING)], return_document=ReturnDocument.AFTER)


def finish(db, doc_id: str, lease_id: str, status: str, at: datetime,
           error: str | None = None) -> bool:
    """Record the end of a delivery (delivered, failed, skipped) if the lease still holds."""
    fields: dict = {"status": status, f"{status}At": at}
    if error:
        fields["lastError"] = error
    result = db[COLLECTION].update_one({"_id": doc_id, "leaseId": lease_id},
                                       {"$set": fields, "$unset": {"leaseId": ""}})
    return result.modified_count == 1


def schedule_retry(db, doc_id: str, lease_id: str, retry_at: datetime, error: str) -> None:
    """Put the delivery back for a later attempt."""
    db[COLLECTION].update_one(
        {"_id": doc_id, "leaseId": lease_id},
        {"$set": {"status": "pending", "nextAttemptAt": retry_at, "lastError": error},
         "$unset": {"leaseId": ""}})


def release_leases(db, at: datetime) -> int:
    """Make every claimed delivery due now: for a store only this process can have claimed."""
    result = db[COLLECTION].update_many({"status": "sending"},
                                        {"$set": {"nextAttemptAt": at},
                                         "$unset": {"leaseId": ""}})
    return result.modified_count


def waiting_emails(db, message_id: str) -> int:
    """Count the email deliveries of one event still to be sent."""
    return db[COLLECTION].count_documents(
        {"eventId": message_id, "channel": "email", "status": {"$in": CLAIMABLE}})


def make_due(db, message_id: str, at: datetime) -> int:
    """Make a failed (or waiting) delivery, or every one of an event, due at `at`."""
    result = db[COLLECTION].update_many(
        {"$or": [{"_id": message_id}, {"eventId": message_id}],
         "status": {"$in": RETRYABLE}},
        {"$set": {"status": "pending", "nextAttemptAt": at, "retriedAt": at},
         "$unset": {"firstAttemptAt": "", "failedAt": ""}})
    return result.modified_count


def failed(db, limit: int = 10_000) -> list[dict]:
    """Return the ids and event ids of failed deliveries, oldest first."""
    return list(db[COLLECTION].find({"status": "failed"}, {"eventId": 1})
                .sort("createdAt").limit(limit))
