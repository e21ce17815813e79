"""Alert documents (`stockAlerts`) and the restocks being announced (`stockRestocks`).

A waiting alert carries `waiting` = its sku and `waitingKey` = sku and email, both removed
when it is sent or cancelled: the alerts a restock must email are found by one equality,
oldest first, and one email waits once per sku (a unique index on `waitingKey`).
"""

from __future__ import annotations

from datetime import datetime

from pymongo import ASCENDING, ReturnDocument

from ..db import get_db, upsert_race_safe

WAITING = {"$unset": {"waiting": "", "waitingKey": ""}}


def waiting_key(sku: str, email: str) -> str:
    """Return the key one email's waiting alert for one sku holds."""
    return f"{sku} {email}"


def insert(doc: dict) -> None:
    """Store a new alert; DuplicateKeyError when this email already waits for this sku."""
    get_db().stockAlerts.insert_one(doc)


def find(alert_id: str) -> dict | None:
    """Return one alert (with its email and locale, for the service)."""
    return get_db().stockAlerts.find_one({"alertId": alert_id}, {"_id": 0})


def find_waiting(email: str, sku: str) -> dict | None:
    """Return the alert this email has waiting for this sku."""
    return get_db().stockAlerts.find_one({"waitingKey": waiting_key(sku, email)}, {"_id": 0})


def cancel(alert_id: str, at: datetime) -> dict | None:
    """Cancel an alert unless it is cancelled already; return it as it is now."""
    alerts = get_db().stockAlerts
    alerts.update_one({"alertId": alert_id, "status": {"$ne": "cancelled"}},
                      {"$set": {"status": "cancelled", "cancelledAt": at}, **WAITING})
    return alerts.find_one({"alertId": alert_id}, {"_id": 0})


def waiting_skus(skus: list[str]) -> list[str]:
    """Return which of these skus have an alert waiting."""
    return get_db().stockAlerts.distinct("waiting", {"waiting": {"$in": skus}})


def oldest_waiting(sku: str, limit: int, session=None) -> list[dict]:
    """Return the oldest alerts waiting for this sku."""
    return list(get_db().stockAlerts.find({"waiting": sku}, {"_id": 0}, session=session)
                .sort([("createdAt", ASCENDING), ("alertId", ASCENDING)]).limit(limit))


def mark_sent(alert_ids: list[str], at: datetime, session=None) -> int:
    """Mark still-waiting alerts sent; return how many were."""
    return get_db().stockAlerts.update_many(
        {"alertId": {"$in": alert_ids}, "status": "waiting"},
        {"$set": {"status": "sent", "sentAt": at}, **WAITING},
        session=session).modified_count


def restocked(skus: list[str], at: datetime) -> None:
    """Record that these skus came back: each gets (or keeps) its restock job, due now."""
    restocks = get_db().stockRestocks
    for sku in skus:
        upsert_race_safe(lambda sku=sku: restocks.update_one(
            {"_id": sku}, {"$set": {"announcedAt": at},
                           "$setOnInsert": {"sku": sku, "dueAt": at, "createdAt": at}},
            upsert=True))


def claim_job(at: datetime, lease_until: datetime, lease_id: str,
              skipping: list[str]) -> dict | None:
    """Take the restock job due first (not one of `skipping`) until the lease ends."""
    return get_db().stockRestocks.find_one_and_update(
        {"dueAt": {"$lte": at}, "_id": {"$nin": skipping}},
        {"$set": {"dueAt": lease_until, "leaseId": lease_id, "claimedAt": at}},
        sort=[("dueAt", ASCENDING)], return_document=ReturnDocument.AFTER)


def continue_job(sku: str, lease_id: str, due_at: datetime, **fields) -> None:
    """Give the job back, due again at `due_at`."""
    get_db().stockRestocks.update_one(
        {"_id": sku, "leaseId": lease_id},
        {"$set": {"dueAt": due_at, **fields}, "$unset": {"leaseId": ""}})


def end_job(job: dict, lease_id: str, at: datetime) -> None:
    """Remove the job, unless the sku was announced again since it was claimed."""
    restocks = get_db().stockRestocks
    gone = restocks.delete_one({"_id": job["_id"], "leaseId": lease_id,
                                "announcedAt": {"$lte": job["claimedAt"]}}).deleted_count
    if not gone:  # announced meanwhile: look again at once
        continue_job(job["_id"], lease_id, at)
