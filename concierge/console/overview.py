"""The overview's figures: MongoDB aggregations over one period, made into charts."""

from __future__ import annotations

from datetime import datetime, timedelta

from ..clock import now
from ..db import get_db
from ..journeys import COMPLETED, OPENED
from ..returns.schemas import REASONS
from . import charts

DAY_FORMAT = "%Y-%m-%d"
# A report that takes longer is cut off by MongoDB (ExecutionTimeout, answered 503) rather
# than holding a worker thread: the overview is a glance, not a batch job.
REPORT_MAX_MS = 10_000
PERIODS = (7, 30, 90)
RATINGS = (1, 2, 3, 4, 5)


def _day(field: str) -> dict:
    return {"$dateToString": {"format": DAY_FORMAT, "date": f"${field}"}}


def _days(since: datetime, until: datetime) -> list[str]:
    count = (until - since).days + 1
    return [(since + timedelta(days=i)).strftime(DAY_FORMAT) for i in range(count)]


def journeys_per_day(since: datetime) -> dict[str, int]:
    """Count completed journeys per UTC day (the server's record of each)."""
    rows = get_db().analyticsEvents.aggregate([
        {"$match": {"name": {"$in": list(COMPLETED)}, "receivedAt": {"$gte": since},
                    "source": "server"}},
        {"$group": {"_id": _day("receivedAt"), "count": {"$sum": 1}}}], maxTimeMS=REPORT_MAX_MS)
    return {row["_id"]: row["count"] for row in rows}


def funnel(since: datetime) -> dict[str, int]:
    """Count sessions that opened the widget, and of those, each that completed a journey."""
    rows = get_db().analyticsEvents.aggregate([
        {"$match": {"name": {"$in": [OPENED, *COMPLETED]}, "receivedAt": {"$gte": since}}},
        {"$group": {"_id": "$sessionId", "names": {"$addToSet": "$name"}}},
        {"$match": {"names": OPENED}},
        {"$unwind": "$names"},
        {"$group": {"_id": "$names", "sessions": {"$sum": 1}}}], maxTimeMS=REPORT_MAX_MS)
    return {row["_id"]: row["sessions"] for row in rows}


def csat(since: datetime) -> tuple[dict[int, int], dict[str, tuple[float, int]]]:
    """Return answers per rating, and the mean rating and count per UTC day."""
    rows = list(get_db().csatResponses.aggregate([
        {"$match": {"updatedAt": {"$gte": since}}},
        {"$group": {"_id": {"day": _day("updatedAt"), "rating": "$rating"},
                    "count": {"$sum": 1}}}], maxTimeMS=REPORT_MAX_MS))
    spread: dict[int, int] = {}
    days: dict[str, list[int]] = {}
    for row in rows:
        rating, count = row["_id"]["rating"], row["count"]
        spread[rating] = spread.get(rating, 0) + count
        total = days.setdefault(row["_id"]["day"], [0, 0])
        total[0] += rating * count
        total[1] += count
    return spread, {day: (s / n, n) for day, (s, n) in sorted(days.items())}


def returns_by_reason(since: datetime) -> dict[str, int]:
    """Sum the quantities returned per reason."""
    rows = get_db().returns.aggregate([
        {"$match": {"createdAt": {"$gte": since}}},
        {"$unwind": "$items"},
        {"$group": {"_id": "$items.reason", "quantity": {"$sum": "$items.quantity"}}}],
        maxTimeMS=REPORT_MAX_MS)
    return {row["_id"]: row["quantity"] for row in rows}


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f} %" if whole else "-"


def build(days: int) -> dict:
    """Return every chart of the overview for the last `days` days (today included)."""
    today = now().replace(hour=0, minute=0, second=0, microsecond=0)
    since = today - timedelta(days=days - 1)
    per_day = journeys_per_day(since)
    timeline = [(day, per_day.get(day, 0)) for day in _days(since, today)]
    sessions = funnel(since)
    opened = sessions.get(OPENED, 0)
    steps = [("Opened the widget", opened, f"{opened} (100 %)" if opened else "0")]
    steps += [(label, sessions.get(name, 0),
               f"{sessions.get(name, 0)} ({_percent(sessions.get(name, 0), opened)})")
              for name, label in COMPLETED.items()]
    spread, trend = csat(since)
    reasons = returns_by_reason(since)
    return {
        "days": days, "since": since, "today": today,
        "timeline": charts.columns(timeline), "total": sum(per_day.values()),
        "funnel": charts.bars(steps), "opened": opened,
        "csat": charts.bars([(f"{r} of 5", spread.get(r, 0), str(spread.get(r, 0)))
                             for r in RATINGS]),
        "answers": sum(spread.values()),
        "trend": charts.line([(day, mean) for day, (mean, _) in trend.items()], 1, 5),
        "trend_counts": {day: count for day, (_, count) in trend.items()},
        "returned": sum(reasons.values()),
        "reasons": charts.bars([(reason.replace("_", " ").capitalize(),
                                 reasons.get(reason, 0), str(reasons.get(reason, 0)))
                                for reason in REASONS]),
    }
