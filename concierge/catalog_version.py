"""The catalogue's change counter: one document every catalogue write bumps after it lands.

Search indexes in every worker compare it with the value they last read. It cannot drift
the way a collection's estimated count can after an unclean shutdown, and it is stamped
by the database's clock, not the writing host's.
"""

from __future__ import annotations

COLLECTION = "catalogChanges"
MARKER = {"_id": "products"}


def bump(db) -> None:
    """Count one more catalogue write (call it after the write is made)."""
    db[COLLECTION].update_one(MARKER, {"$inc": {"version": 1},
                                       "$currentDate": {"changedAt": True}}, upsert=True)


def read(db) -> int:
    """Return how many catalogue writes have been counted (0 before the first)."""
    found = db[COLLECTION].find_one(MARKER, {"_id": 0, "version": 1})
    return found["version"] if found else 0
