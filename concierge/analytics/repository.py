"""Analytics event storage."""

from .. import events


def insert_events(docs: list[dict]) -> int:
    """Queue client events for analyticsEvents; return how many were queued."""
    return events.store(docs)
