"""Record analytics events through a bounded background writer."""

from __future__ import annotations

import atexit
import collections
import logging
import threading
import time
import weakref

from flask import Flask, current_app, g
from pymongo.errors import BulkWriteError, PyMongoError

from . import metrics, process
from .clock import now

log = logging.getLogger(__name__)

CAPACITY = 10_000  # queued events at most; beyond, events are dropped and counted
FLUSH_SECONDS = 1.0  # every queued event is written within about a second
BATCH = 200  # events per insert_many; the embedded store is locked for one batch
IDLE_ROUNDS = 5  # flushes with nothing to write before the thread stops (restarts on demand)
WARN_EVERY = 10.0  # seconds between two warnings about dropped events


class EventWriter:
    """Write analytics events in unordered batches from one background thread.

    A request only puts its events on a bounded queue: it never waits for the
    database (on MongoDB that saves a round trip per request, on the embedded
    store the lock), and when the queue is full the events are dropped and
    counted, because the shopper's journey matters more than its analytics.
    """

    def __init__(self, database, capacity: int = CAPACITY, interval: float = FLUSH_SECONDS):
        self._database = database  # a callable returning the database
        # A deque, not a queue.Queue: appending and popping need no lock, and a lock
        # every request takes stalls threads behind whichever one the GIL switched out.
        self._queue: collections.deque[dict] = collections.deque()
        self._capacity = capacity
        self._interval = interval
        self._wake = threading.Event()
        self._thread_lock = threading.Lock()  # starting and stopping the thread
        self._write_lock = threading.Lock()  # one writer drains the queue at a time
        self._thread: threading.Thread | None = None
        self._pid: int | None = None
        self._warned = 0.0
        self._count_lock = threading.Lock()
        self.counts = {"written": 0, "dropped": 0, "failed": 0}
        _WRITERS.add(self)

    def put(self, docs: list[dict]) -> int:
        """Queue the events without waiting; return how many were queued."""
        # Checked without a lock: racing threads may pass the capacity by a few events.
        queued = max(0, min(len(docs), self._capacity - len(self._queue)))
        self._queue.extend(docs[:queued])
        if queued < len(docs):
            self._dropped(len(docs) - queued)
        if len(self._queue) >= BATCH and not self._wake.is_set():
            self._wake.set()  # a full batch need not wait for the next second
        if self._thread is None or self._pid != process.pid():
            self._start()
        return queued

    def write_now(self, docs: list[dict]) -> int:
        """Write a sender's documents from the calling thread; return how many were stored.

        POST /events answers 202 with the number stored, so its events are
        written before the answer (on the durable embedded store, on disk), not
        queued; the queue is for the events a journey records on the side.
        """
        return self._insert(docs)

    def flush(self, full_batches: bool = False) -> int:
        """Write every queued event now (or only full batches); return how many were written."""
        written = 0
        with self._write_lock:
            while (len(self._queue) >= BATCH or not full_batches) and (batch := self._take()):
                written += self._insert(batch)
        return written

    def close(self) -> None:
        """Stop the thread and write what is left (shutdown)."""
        with self._thread_lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._wake.set()
            thread.join(5)
        self.flush()
        if self.counts["dropped"] or self.counts["failed"]:
            log.warning("analytics writer closed", extra={"fields": dict(self.counts)})

    def _start(self) -> None:
        with self._thread_lock:
            if self._thread is not None and self._pid == process.pid():
                return
            self._pid = process.pid()
            self._thread = threading.Thread(target=self._run, name="analytics-writer",
                                            daemon=True)
            self._thread.start()

    def _run(self) -> None:
        me, idle = threading.current_thread(), 0
        while self._thread is me:
            # Woken by a full batch, the thread writes full batches only and leaves the
            # rest for the next batch or the end of the interval: draining the queue each
            # time would commit a few events at a time under load, each commit a disk
            # sync and a round of waits for the GIL.
            full = self._wake.wait(self._interval)
            self._wake.clear()
            idle = 0 if self.flush(full_batches=full) or full else idle + 1
            if idle >= IDLE_ROUNDS:
                with self._thread_lock:
                    # Checked under the lock put() starts a thread with: an event
                    # queued after this check finds no thread and starts one.
                    if self._thread is me and not self._queue:
                        self._thread = None
                        return

    def _take(self) -> list[dict]:
        batch: list[dict] = []
        while len(batch) < BATCH:
            try:
                batch.append(self._queue.popleft())
            except IndexError:
                break
        return batch

    def _insert(self, batch: list[dict]) -> int:
        written = 0
        try:
            self._database().analyticsEvents.insert_many(batch, ordered=False)
            written = len(batch)
        except BulkWriteError as error:
            # Unordered: the valid documents of a failed batch are stored anyway.
            written = error.details.get("nInserted", 0)
        except PyMongoError:
            log.warning("could not write %d analytics events", len(batch), exc_info=True)
        with self._count_lock:
            self.counts["written"] += written
            self.counts["failed"] += len(batch) - written
        return written

    def _dropped(self, count: int) -> None:
        with self._count_lock:
            self.counts["dropped"] += count
            warn = time.monotonic() - self._warned >= WARN_EVERY
            if warn:
                self._warned = time.monotonic()
        if warn:
            log.warning("analytics queue full: events dropped",
                        extra={"fields": {"dropped": self.counts["dropped"]}})


_WRITERS: weakref.WeakSet[EventWriter] = weakref.WeakSet()


@atexit.register
def _flush_at_exit() -> None:
    for writer in list(_WRITERS):
        writer.close()


def init_app(app: Flask, database) -> None:
    """Give the app its writer; under TESTING every request flushes it at teardown."""
    writer = app.extensions["concierge_events"] = EventWriter(database)
    if app.testing:
        # Tests read analyticsEvents right after a request: make that deterministic.
        app.teardown_request(lambda _error: writer.flush())


def writer() -> EventWriter:
    """Return the current app's event writer."""
    return current_app.extensions["concierge_events"]


def flush() -> int:
    """Write the current app's queued events now; return how many were written."""
    return writer().flush()


def store(docs: list[dict]) -> int:
    """Write a sender's analytics documents now; return how many were stored."""
    return writer().write_now(docs)


def record(name: str, **props) -> None:
    """Record a server-side journey event; never fail or slow the shopper's request."""
    at = now()
    writer().put([{"name": name, "sessionId": g.get("session_id"), "requestId": g.get("request_id"),
            "occurredAt": at, "receivedAt": at, "source": "server",
            "props": {k: v for k, v in props.items() if v is not None}}])
    metrics.journey_recorded(name)
