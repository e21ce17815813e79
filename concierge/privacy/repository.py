"""Read, delete and redact the documents the registry names (every filter index-backed)."""

from __future__ import annotations

from datetime import datetime

from .registry import Holding


def find(db, holding: Holding, query: dict) -> list[dict]:
    """Return a holding's documents matching the query."""
    return list(db[holding.collection].find(query))


def delete(db, holding: Holding, ids: list, session=None) -> int:
    """Delete these documents; return how many went."""
    if not ids:
        return 0
    return db[holding.collection].delete_many({"_id": {"$in": ids}},
                                              session=session).deleted_count


def redact(db, holding: Holding, ids: list, at: datetime, session=None) -> int:
    """Remove the personal fields of these documents, marking them erased; return how many."""
    if not ids:
        return 0
    return db[holding.collection].update_many(
        {"_id": {"$in": ids}},
        {"$unset": dict.fromkeys(holding.personal, ""), "$set": {"erasedAt": at}},
        session=session).matched_count


# A shop's redaction (every shopper) visits every document of each holding by design:
# these two are whole-collection passes, not lookups an index could serve.
def delete_all(db, holding: Holding, session=None) -> int:
    """Delete every document of a holding; return how many went."""
    return db[holding.collection].delete_many({}, session=session).deleted_count


def redact_all(db, holding: Holding, at: datetime, session=None) -> int:
    """Remove the personal fields of every document not yet erased; return how many."""
    return db[holding.collection].update_many(
        {"erasedAt": None},
        {"$unset": dict.fromkeys(holding.personal, ""), "$set": {"erasedAt": at}},
        session=session).matched_count
