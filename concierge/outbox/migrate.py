"""Move the old CSAT-only agentNotifications into the one outbox (idempotent)."""

from __future__ import annotations

from contextlib import suppress

from pymongo.errors import DuplicateKeyError

from ..clock import now
from .service import WEBHOOK, jsonable, subjects

LEGACY = "agentNotifications"
# Old states map onto the outbox's; a claim in flight is simply due again.
STATUS = {"delivered": "delivered", "pending": "pending", "sending": "pending"}


def _as_delivery(old: dict, at) -> dict:
    message_id = f"msg_legacy_{old['_id']}"
    data = jsonable({"csatId": old["csatId"], "rating": old["rating"],
                     "intent": old["intent"], "comment": old.get("comment"),
                     "sessionId": old["sessionId"]})
    doc = {"_id": message_id, "eventId": message_id, "type": "csat.low_rating",
           "channel": WEBHOOK, "data": data, "createdAt": old["createdAt"],
           "status": STATUS.get(old.get("status"), "pending"),
           "attempts": old.get("attempts", 0), "nextAttemptAt": at,
           "subjects": subjects(data), "migratedFrom": LEGACY}
    if old.get("deliveredAt"):
        doc["deliveredAt"] = old["deliveredAt"]
    if old.get("lastError"):
        doc["lastError"] = old["lastError"]
    return doc


def migrate_agent_notifications(db) -> int:
    """Copy each legacy notification into the outbox, then remove it; return how many."""
    moved, at = 0, now()
    for old in list(db[LEGACY].find({})):
        # A duplicate was copied by an earlier run that stopped before the delete.
        with suppress(DuplicateKeyError):
            db.outbox.insert_one(_as_delivery(old, at))
        db[LEGACY].delete_one({"_id": old["_id"]})
        moved += 1
    return moved
