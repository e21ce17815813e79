"""Evaluate the concierge feature flag with stable canary bucketing."""

from __future__ import annotations

import hashlib

from flask import g

from .db import get_db
from .errors import ConciergeDisabled

FLAG_ID = "concierge.realEndpointsEnabled"


def bucket(session_id: str, flag_id: str = FLAG_ID) -> int:
    """Return the session's stable bucket, 0..99, the same on every server."""
    digest = hashlib.sha256(f"{flag_id}:{session_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % 100


def get_flag(db, flag_id: str = FLAG_ID) -> dict:
    """Return the stored flag, or a disabled one when none is stored."""
    return db.featureFlags.find_one({"_id": flag_id}) or {
        "_id": flag_id, "enabled": False, "canaryPercent": 0}


def set_flag(db, enabled: bool, canary_percent: int, flag_id: str = FLAG_ID) -> dict:
    """Store the flag's state and return it."""
    if not 0 <= canary_percent <= 100:
        raise ValueError("canary percent must be between 0 and 100")
    db.featureFlags.update_one(
        {"_id": flag_id},
        {"$set": {"enabled": enabled, "canaryPercent": canary_percent}}, upsert=True)
    return get_flag(db, flag_id)


def is_enabled_for(flag: dict, session_id: str | None) -> bool:
    """Tell whether a session is inside the flag's canary.

    A caller without a session (curl) is in only at 100 %: it has no stable
    bucket, and a partial rollout must not leak to it.
    """
    if not flag.get("enabled"):
        return False
    percent = int(flag.get("canaryPercent", 0))
    if session_id is None:
        return percent >= 100
    return bucket(session_id, flag["_id"]) < percent


def real_endpoints_enabled() -> bool:
    """Tell whether the current request's session gets the real endpoints."""
    if "flag_enabled" not in g:
        g.flag_enabled = is_enabled_for(get_flag(get_db()), g.get("session_id"))
    return g.flag_enabled


def require_enabled() -> None:
    """Answer 503 concierge_disabled when the session is outside the flag."""
    if not real_endpoints_enabled():
        raise ConciergeDisabled(
            "The concierge is switched off for this session; contact the store instead.")
