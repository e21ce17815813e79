"""Evaluate the concierge feature flag with stable canary bucketing."""

from __future__ import annotations

import hashlib
import threading
import time
import weakref

from flask import g

from .db import get_db
from .errors import ConciergeDisabled

FLAG_ID = "concierge.realEndpointsEnabled"
CACHE_SECONDS = 1.0  # how stale a flag may be on this process when another changed it


def bucket(session_id: str, flag_id: str = FLAG_ID) -> int:
    """Return the session's stable bucket, 0..99, the same on every server."""
    digest = hashlib.sha256(f"{flag_id}:{session_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % 100


def get_flag(db, flag_id: str = FLAG_ID) -> dict:
    """Return the stored flag, or a disabled one when none is stored."""
    return db.featureFlags.find_one({"_id": flag_id}) or {
        "_id": flag_id, "enabled": False, "canaryPercent": 0}


def set_flag(db, enabled: bool, canary_percent: int, flag_id: str = FLAG_ID) -> dict:
    """Store the flag's state and return it; this process sees the change at once."""
    if not 0 <= canary_percent <= 100:
        raise ValueError("canary percent must be between 0 and 100")
    db.featureFlags.update_one(
        {"_id": flag_id},
        {"$set": {"enabled": enabled, "canaryPercent": canary_percent}}, upsert=True)
    _cache.forget(db, flag_id)
    return get_flag(db, flag_id)


class _FlagCache:
    """Flags read at most CACHE_SECONDS ago, per database client of this process.

    Every request asks for the flag; reading it once a second instead of once
    a request spares a database call on the hot path.  Keyed by the client
    object itself (clients to one address compare equal), so each app and
    test has its own entries, dropped when its client goes.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._entries: dict[int, dict] = {}
        self._generation = 0  # bumped by every forget(): a read begun before is not kept

    def get(self, db, flag_id: str) -> dict:
        client = db.client
        hit = self._entries.get(id(client), {}).get((db.name, flag_id))
        if hit is not None and hit[0] > time.monotonic():
            return hit[1]
        generation = self._generation
        flag = get_flag(db, flag_id)
        with self._lock:
            if generation == self._generation:
                if id(client) not in self._entries:
                    self._entries[id(client)] = {}
                    weakref.finalize(client, self._entries.pop, id(client), None)
                self._entries[id(client)][(db.name, flag_id)] = (
                    time.monotonic() + CACHE_SECONDS, flag)
        return flag

    def forget(self, db, flag_id: str) -> None:
        with self._lock:
            self._generation += 1
            self._entries.get(id(db.client), {}).pop((db.name, flag_id), None)


_cache = _FlagCache()


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
        g.flag_enabled = is_enabled_for(_cache.get(get_db(), FLAG_ID), g.get("session_id"))
    return g.flag_enabled


def require_enabled() -> None:
    """Answer 503 concierge_disabled when the session is outside the flag."""
    if not real_endpoints_enabled():
        raise ConciergeDisabled(
            "The concierge is switched off for this session; contact the store instead.")
