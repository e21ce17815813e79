"""Deliver due outbox documents: claimed with a lease, retried with backoff and jitter."""

from __future__ import annotations

import logging
import random
import secrets
import threading
from datetime import timedelta

from flask import Flask
from pymongo.errors import PyMongoError

from .. import process
from ..clock import now
from . import mailer, repository, webhooks
from .errors import DeliveryFailed, Skipped
from .service import EMAIL, WEBHOOK

log = logging.getLogger(__name__)

# Where init_app keeps the step the email worker runs before each pass.
BEFORE_EMAILS = "concierge_outbox_before_emails"
LEASE = timedelta(seconds=120)  # longer than one POST or SMTP exchange can take
BATCH = 50  # deliveries per pass before the loop looks at its stop flag again


def channels(config) -> list[str]:
    """Return the channels configured in this process (others wait in the outbox)."""
    found = []
    if config.CONCIERGE_WEBHOOK_URL:  # Config refuses a webhook URL without its secret
        found.append(WEBHOOK)
    if config.CONCIERGE_SMTP_URL:
        found.append(EMAIL)
    return found


def backoff(config, attempts: int) -> timedelta:
    """Return the wait before the next attempt: doubling from the base, capped, jittered.

    Equal jitter (half fixed, half random) spreads the retries of many
    messages that failed together, so a receiver coming back is not flooded.
    """
    wait = min(config.OUTBOX_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0),
               config.OUTBOX_RETRY_CAP_SECONDS)
    return timedelta(seconds=wait / 2 + random.uniform(0, wait / 2))  # noqa: S311 (spread, not secrecy)


def _send(config, db, doc: dict) -> None:
    """Send one delivery; an unexpected error fails it alone (retried), never the pass."""
    try:
        if doc["channel"] == WEBHOOK:
            webhooks.deliver(config, doc)
        else:
            mailer.deliver(config, doc)
    except (DeliveryFailed, Skipped, PyMongoError):
        raise  # a database error is not this message's: the pass stops, the lease ends
    except Exception as error:
        log.exception("outbox %s (%s): unexpected error", doc["_id"], doc["type"])
        raise DeliveryFailed(f"{type(error).__name__}: {error}") from error


def _attempt(config, db, doc: dict, lease_id: str) -> str:
    """Deliver one claimed document and record the outcome; return it."""
    try:
        _send(config, db, doc)
    except Skipped as why:
        repository.finish(db, doc["_id"], lease_id, "skipped", now(), str(why))
        return "skipped"
    except DeliveryFailed as error:
        at, reason = now(), str(error)[:500]
        give_up = doc["firstAttemptAt"] + timedelta(hours=config.OUTBOX_GIVE_UP_HOURS)
        if error.permanent or at >= give_up:
            repository.finish(db, doc["_id"], lease_id, "failed", at, reason)
            log.error("outbox %s (%s) failed for good: %s", doc["_id"], doc["type"], reason)
            return "failed"
        repository.schedule_retry(db, doc["_id"], lease_id,
                                  at + backoff(config, doc["attempts"]), reason)
        log.warning("outbox %s attempt %d failed: %s", doc["_id"], doc["attempts"], reason)
        return "retrying"
    if not repository.finish(db, doc["_id"], lease_id, "delivered", now()):
        log.warning("outbox %s delivered after its lease ran out", doc["_id"])
    return "delivered"


def deliver_due(config, db, which: list[str], limit: int = BATCH) -> dict:
    """Deliver what is due on these channels, one claim at a time; count the outcomes.

    Each claim's lease counts from its own time, so a long batch never sends
    under an expired lease.
    """
    counts = {"delivered": 0, "retrying": 0, "failed": 0, "skipped": 0}
    lease_id = secrets.token_hex(8)
    for _ in range(limit):
        at = now()
        doc = repository.claim_due(db, which, at, at + LEASE, lease_id)
        if doc is None:
            break
        counts[_attempt(config, db, doc, lease_id)] += 1
    return counts


class Workers:
    """One background thread per channel in this process, started on first use."""

    def __init__(self, app: Flask):
        self.app = app
        self._lock = threading.Lock()
        self._pid: int | None = None
        self._wakes: dict[str, threading.Event] = {}
        self._stop = threading.Event()
        self.threads: list[threading.Thread] = []
        # Passes each channel's thread finished: once one is counted, a wake is never lost.
        self.passes: dict[str, int] = {}

    def ensure_started(self) -> None:
        """Start the threads once per process (gunicorn forks after import)."""
        if self._pid == process.pid():
            return
        with self._lock:
            if self._pid == process.pid():
                return
            self._pid = process.pid()
            self._stop.clear()
            which = channels(self.app.config["CONCIERGE"])
            self._wakes = {channel: threading.Event() for channel in which}
            self.passes = dict.fromkeys(which, 0)
            self.threads = [threading.Thread(target=self._run, args=(channel,), daemon=True,
                                             name=f"outbox-{channel}") for channel in which]
            for thread in self.threads:
                thread.start()

    def wake(self) -> None:
        """Look for due deliveries now instead of at the next poll."""
        self.ensure_started()
        for event in self._wakes.values():
            event.set()

    def stop(self, timeout: float = 5) -> None:
        """Stop the threads (tests and shutdown)."""
        self._stop.set()
        for event in self._wakes.values():
            event.set()
        for thread in self.threads:
            thread.join(timeout)
        self._pid = None

    def _before(self, channel: str) -> int:
        """Run the feature step registered for this channel's passes (emails only)."""
        step = self.app.extensions.get(BEFORE_EMAILS) if channel == EMAIL else None
        if step is None:
            return 0
        try:
            return step()
        except Exception:  # a feature's failure never stops the deliveries
            log.exception("outbox %s worker: the step before the pass failed", channel)
            return 0

    def _run(self, channel: str) -> None:
        from ..db import get_db

        config, wake = self.app.config["CONCIERGE"], self._wakes[channel]
        while not self._stop.is_set():
            wake.clear()
            try:
                with self.app.app_context():
                    queued = self._before(channel)
                    counts = deliver_due(config, get_db(), [channel])
                    counts["queued"] = queued
            except Exception:  # the loop outlives a database outage or a bug in one send
                log.exception("outbox %s worker pass failed", channel)
                counts = {}
            self.passes[channel] += 1
            if not any(counts.values()):
                wake.wait(config.OUTBOX_POLL_SECONDS)
