"""Deliver the agent notification outbox to the webhook, at least once."""

from __future__ import annotations

import logging
import secrets
import threading
from datetime import datetime, timedelta

import requests
from flask import Flask

from ..events import now as clock
from ..schemas import iso_z
from . import repository

log = logging.getLogger(__name__)

TIMEOUT = (3.05, 5)  # connect, read (seconds)
LEASE = timedelta(seconds=60)  # longer than one POST can take
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_CAP = timedelta(hours=1)  # never given up: retried hourly at worst
BACKGROUND_SWEEP = 10


def backoff(attempts: int) -> timedelta:
    """Return the wait before the next attempt: 30 s, 60 s, 2 min, ... at most 1 h."""
    return min(BACKOFF_BASE * 2 ** max(attempts - 1, 0), BACKOFF_CAP)


def payload(doc: dict) -> dict:
    """Return the JSON body POSTed for one notification."""
    return {"type": "csat.low_rating", "notificationId": str(doc["_id"]),
            "csatId": doc["csatId"], "rating": doc["rating"], "intent": doc["intent"],
            "comment": doc.get("comment"), "reference": doc.get("reference"),
            "sessionId": doc["sessionId"], "createdAt": iso_z(doc["createdAt"])}


def _post(url: str, doc: dict) -> None:
    response = requests.post(url, json=payload(doc), timeout=TIMEOUT, headers={
        # The receiver can drop a repeat: delivery is at least once.
        "Idempotency-Key": str(doc["_id"]), "User-Agent": "aurora-concierge"})
    response.raise_for_status()


def deliver_due(db, url: str, now: datetime, only_id=None, limit: int = 100) -> dict:
    """Send notifications due at `now`, one claim at a time; return counts of the outcome."""
    counts = {"delivered": 0, "failed": 0}
    lease_id = secrets.token_hex(8)
    for _ in range(limit):
        # Leases and retries count from the real clock too, so that a long
        # batch never sends under a lease that has already run out.
        started = max(now, clock())
        doc = repository.claim_due(db, now, started + LEASE, lease_id, only_id)
        if doc is None:
            break
        try:
            _post(url, doc)
        except requests.RequestException as error:
            retry_at = max(now, clock()) + backoff(doc["attempts"])
            repository.mark_failed(db, doc["_id"], lease_id, retry_at,
                                   f"{type(error).__name__}: {error}"[:500])
            log.warning("agent notification %s failed (attempt %d): %s", doc["_id"],
                        doc["attempts"], error)
            counts["failed"] += 1
            continue
        repository.mark_delivered(db, doc["_id"], lease_id, clock())
        counts["delivered"] += 1
    return counts


def deliver_soon(app: Flask, url: str, notification_id) -> None:
    """Try a new notification (then other due ones) in a background thread.

    The outbox keeps anything this does not deliver; the request never waits.
    """
    def run():
        from ..db import get_db

        try:
            with app.app_context():
                deliver_due(get_db(), url, clock(), only_id=notification_id)
                # Then whatever else is due (earlier failures waiting for their
                # retry), so retries also happen where no command runs.
                deliver_due(get_db(), url, clock(), limit=BACKGROUND_SWEEP)
        except Exception:  # a background try must never escape its thread
            log.exception("background delivery of %s failed", notification_id)

    try:
        threading.Thread(target=run, name="agent-notify", daemon=True).start()
    except RuntimeError:  # no thread available: the command delivers it later
        log.warning("could not start background delivery of %s", notification_id)
