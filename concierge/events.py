"""Record analytics events in the analyticsEvents collection."""

from __future__ import annotations

import logging

from flask import g
from pymongo.errors import PyMongoError

from . import metrics
from .clock import now  # every module takes the app's clock from here
from .db import get_db

log = logging.getLogger(__name__)


def record(name: str, **props) -> None:
    """Record a server-side journey event; never fail the shopper's request."""
    at = now()
    doc = {"name": name, "sessionId": g.get("session_id"), "requestId": g.get("request_id"),
           "occurredAt": at, "receivedAt": at, "source": "server",
           "props": {k: v for k, v in props.items() if v is not None}}
    try:
        get_db().analyticsEvents.insert_one(doc)
        metrics.journey_recorded(name)
    except PyMongoError:
        log.warning("could not record event %s", name, exc_info=True)
