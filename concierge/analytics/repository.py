"""Analytics event storage."""

from .. import events
from ..db import get_db


def insert_events(docs: list[dict]) -> int:
    """Queue client events for analyticsEvents; return how many were queued."""
    return events.store(docs)


SEARCHED = "aurora_products_searched"  # recorded by GET /products with q, total, locale


def search_counts(since, locale: str | None, zero_only: bool, limit: int) -> list[dict]:
    """Count the searches since `since` per query (lower-cased) and language, the most
    searched first: all of them, or those that found nothing (events_by_name serves it)."""
    match: dict = {"name": SEARCHED, "receivedAt": {"$gte": since},
                   "props.q": {"$exists": True}}
    if locale:
        match["props.locale"] = locale
    if zero_only:
        match["props.total"] = 0
    return list(get_db().analyticsEvents.aggregate([
        {"$match": match},
        {"$group": {"_id": {"q": {"$toLower": "$props.q"}, "locale": "$props.locale"},
                    "searches": {"$sum": 1}, "last": {"$max": "$receivedAt"}}},
        {"$sort": {"searches": -1, "_id.q": 1}},
        {"$limit": limit},
    ]))
