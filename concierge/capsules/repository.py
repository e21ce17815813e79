"""Capsule and hold queries."""

from collections import Counter
from datetime import datetime

from pymongo import ReturnDocument

from ..db import get_db, get_store


def all_capsules() -> list[dict]:
    """Return every capsule."""
    return list(get_db().capsules.find({}).sort("capsuleId", 1))


def find_capsule(capsule_id: str) -> dict | None:
    """Return the capsule with this id."""
    return get_db().capsules.find_one({"capsuleId": capsule_id})


def active_counts(capsule_ids: list[str], at: datetime) -> tuple[Counter, datetime | None]:
    """Count the holds still active at `at`, per capsule; say when the first one ends."""
    holds = list(get_db().capsuleHolds.find(
        {"capsuleId": {"$in": capsule_ids}, "status": "active", "expiresAt": {"$gt": at}},
        {"_id": 0, "capsuleId": 1, "expiresAt": 1}))  # covered by capsule_status_expiry
    return (Counter(hold["capsuleId"] for hold in holds),
            min((hold["expiresAt"] for hold in holds), default=None))


def writes() -> tuple[int, ...] | None:
    """Count the writes to capsules and holds so far (None on MongoDB: not countable)."""
    return get_store().writes("capsules", "capsuleHolds")


def expire_due(capsule_id: str, at: datetime) -> None:
    """Mark the capsule's holds that ran out as expired, freeing their slots."""
    get_db().capsuleHolds.update_many(
        {"capsuleId": capsule_id, "status": "active", "expiresAt": {"$lte": at}},
        {"$set": {"status": "expired"}})


def active_hold(capsule_id: str, email: str, at: datetime) -> dict | None:
    """Return this email's hold on the capsule that is active at `at`."""
    return get_db().capsuleHolds.find_one(
        {"capsuleId": capsule_id, "email": email, "status": "active",
         "expiresAt": {"$gt": at}})


def taken_slots(capsule_id: str) -> set[int]:
    """Return the slot numbers held by active holds."""
    holds = get_db().capsuleHolds.find({"capsuleId": capsule_id, "status": "active"},
                                       {"slot": 1})
    return {hold["slot"] for hold in holds}


def active_ends(field: str, value: str, at: datetime) -> list[datetime]:
    """Return when each hold of one client address or session still active at `at` ends."""
    holds = get_db().capsuleHolds.find(
        {field: value, "status": "active", "expiresAt": {"$gt": at}},
        {"_id": 0, "expiresAt": 1})  # holds_by_client / holds_by_session
    return [hold["expiresAt"] for hold in holds]


def delete_hold(hold_id: str) -> None:
    """Take back a hold placed over a cap (never seen by anyone: no email went out)."""
    get_db().capsuleHolds.delete_one({"holdId": hold_id})


def insert_hold(doc: dict) -> None:
    """Store a hold; the unique indexes refuse a taken slot or a second active hold."""
    get_db().capsuleHolds.insert_one(doc)


def find_hold(hold_id: str) -> dict | None:
    """Return the hold with this id."""
    return get_db().capsuleHolds.find_one({"holdId": hold_id})


def release(hold_id: str, at: datetime) -> dict | None:
    """Release the hold if it is still active at `at`; return it, or None."""
    return get_db().capsuleHolds.find_one_and_update(
        {"holdId": hold_id, "status": "active", "expiresAt": {"$gt": at}},
        {"$set": {"status": "released", "releasedAt": at}},
        return_document=ReturnDocument.AFTER)


def upsert_capsule(capsule_id: str, fields: dict, at: datetime) -> bool:
    """Create or replace a capsule's fields (un-retiring it); return True when created."""
    result = get_db().capsules.update_one(
        {"capsuleId": capsule_id},
        {"$set": {**fields, "retired": False, "retiredAt": None, "updatedAt": at},
         "$setOnInsert": {"_id": capsule_id, "createdAt": at}}, upsert=True)
    return result.upserted_id is not None


def retire_capsule(capsule_id: str, at: datetime) -> dict | None:
    """Retire the capsule once (a second retire changes nothing); return it, or None."""
    capsules = get_db().capsules
    capsules.update_one({"capsuleId": capsule_id, "retired": {"$ne": True}},
                        {"$set": {"retired": True, "retiredAt": at, "updatedAt": at}})
    return capsules.find_one({"capsuleId": capsule_id})


def holds_of(capsule_id: str, at: datetime, limit: int = 200) -> list[dict]:
    """Return the capsule's holds active at `at`, the first to end first."""
    return list(get_db().capsuleHolds.find(
        {"capsuleId": capsule_id, "status": "active", "expiresAt": {"$gt": at}},
        {"_id": 0}).sort("expiresAt", 1).limit(limit))  # capsule_status_expiry
