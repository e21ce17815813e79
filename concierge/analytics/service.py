"""Validate each event of a batch on its own and store the valid ones."""

from __future__ import annotations

from flask import g
from marshmallow import ValidationError

from ..clock import now
from ..errors import flatten
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
