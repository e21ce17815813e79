"""Validate each event of a batch on its own and store the valid ones."""

from __future__ import annotations

from datetime import timedelta

from flask import g
from marshmallow import ValidationError

from ..clock import now
from ..errors import flatten
from ..i18n import DEFAULT_LOCALE
from ..text import normal_name
from . import repository
from .schemas import EventSchema


def ingest(raw_events: list) -> dict:
    """Store the valid events; report the others by index."""
    schema, received = EventSchema(), now()
    accepted, rejected = [], []
    for index, raw in enumerate(raw_events):
        try:
            event = schema.load(raw)
        except ValidationError as error:
            rejected.append({"index": index, "errors": flatten(error.messages)})
            continue
        accepted.append({**event, "requestId": g.get("request_id"), "receivedAt": received,
                         "source": "client"})
    queued = repository.insert_events(accepted) if accepted else 0
    return {"accepted": queued, "rejected": rejected}


PERIODS = (7, 30)  # days the console's Search page looks back
REPORTED = 20  # queries listed per table
GROUPS = 500  # query groups read per table, before spellings are merged


def search_report(locale: str | None = None) -> dict[int, dict[str, list[dict]]]:
    """Return, for the last 7 and 30 days, the most searched queries and those that
    found nothing, in one language or all, spellings of the same words counted as one
    ("Dress!" and "dress"): {7: {"top": [...], "zero": [...]}, 30: ...}."""
    at = now()
    return {days: {name: _merged(repository.search_counts(
        at - timedelta(days=days), locale, zero_only=name == "zero", limit=GROUPS))
        for name in ("top", "zero")} for days in PERIODS}


def _merged(groups: list[dict]) -> list[dict]:
    merged: dict[tuple, dict] = {}
    for group in groups:
        words = normal_name(group["_id"]["q"] or "")
        if not words:
            continue
        locale = group["_id"].get("locale") or DEFAULT_LOCALE
        found = merged.setdefault((words, locale), {
            "query": group["_id"]["q"].strip(), "locale": locale, "searches": 0,
            "last": group["last"]})
        found["searches"] += group["searches"]
        found["last"] = max(found["last"], group["last"])
    ranked = sorted(merged.values(), key=lambda g: (-g["searches"], g["query"]))
    return ranked[:REPORTED]
