"""Change counters: one document a kind of write bumps after it lands.

Workers compare a counter with the value they last read: the catalogue's for the search
indexes, the search steering's (the store's synonyms and rules) for their copies of it.
A counter cannot drift the way a collection's estimated count can after an unclean
shutdown, and it is stamped by the database's clock, not the writing host's.
"""

from __future__ import annotations

COLLECTION = "catalogChanges"
MARKER = {"_id": "products"}
STEERING = {"_id": "searchSteering"}  # the store's search synonyms and rules


def bump(db, marker: dict = MARKER) -> None:
    """Count one more write (call it after the write is made)."""
    db[COLLECTION].update_one(marker, {"$inc": {"version": 1},
                                       "$currentDate": {"changedAt": True}}, upsert=True)


def read(db, marker: dict = MARKER) -> int:
    """Return how many writes have been counted (0 before the first)."""
    found = db[COLLECTION].find_one(marker, {"_id": 0, "version": 1})
    return found["version"] if found else 0
