"""The audit trail: who did what to which record, and when."""

from __future__ import annotations

from flask import g

from ..clock import now
from ..db import get_db
from .auth import actor

RECENT = 100


def record(action: str, target: str, **details) -> None:
    """Write one staff action (the actor is the token's name, never the token)."""
    get_db().audit.insert_one({"at": now(), "who": actor(), "action": action,
                               "target": target, "details": details,
                               "requestId": g.get("request_id")})


def recent(limit: int = RECENT) -> list[dict]:
    """Return the latest actions, newest first."""
    return list(get_db().audit.find({}, {"_id": 0}).sort("at", -1).limit(limit))
