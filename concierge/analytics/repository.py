"""Analytics event storage."""

from ..db import get_db


def insert_events(docs: list[dict]) -> None:
    """Store client events in analyticsEvents."""
    get_db().analyticsEvents.insert_many(docs, ordered=False)
