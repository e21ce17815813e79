"""Per-request plumbing: request ids, the session header, JSON logs, headers."""

from __future__ import annotations

import collections
import json
import logging
import os
import random
import re
import sys
import threading
import time
import weakref
from urllib.parse import urlsplit

from flask import Flask, g, has_request_context, jsonify, request
from flask.globals import request_ctx
from marshmallow import ValidationError
from werkzeug.routing import RequestRedirect

from . import process

REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,128}$")
SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
SESSION_HEADER = "X-Concierge-Session"
RETRY_STATUSES = {409, 429, 503}

access_log = logging.getLogger("concierge.access")


class JSONFormatter(logging.Formatter):
    """Format a log record as one JSON line carrying the requestId."""

    _second: tuple[int, str] = (-1, "")  # the last second formatted, reused within it

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        """Return the record's UTC second as ISO 8601, formatted once per second."""
        second = int(record.created)
        if self._second[0] != second:
            self._second = (second, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(second)))
        return self._second[1]

    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": self.formatTime(record),
                 "level": record.levelname, "logger": record.name,
                 "message": record.getMessage()}
        if has_request_context():
            entry["requestId"] = g.get("request_id")
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


class BatchedStreamHandler(logging.StreamHandler):
    """Write log lines in batches: at least every `seconds`, at once from WARNING up.

    One write per request made a busy worker's threads queue on the handler's
    lock while its holder waited for the GIL after the system call: the
    access log cost a cached search a fifth of its CPU in the gunicorn worker.
    With `seconds` 0 every line is written at once.
    """

    BATCH = 256  # lines (about 64 KB) written together at most

    def __init__(self, stream=None, seconds: float = 1.0):
        super().__init__(stream)
        self.seconds = seconds
        # Appended and drained without the handler's lock (deque ends are thread-safe).
        self.pending: collections.deque[str] = collections.deque()
        self._flusher_pid: int | None = None

    def handle(self, record: logging.LogRecord):
        """Format and queue the line without taking the handler's lock.

        logging.Handler.handle holds the lock through formatting, and eight
        request threads queued on it (the access log cost an order lookup a
        twentieth of its CPU in the gunicorn worker); only writing needs it.
        """
        kept = self.filter(record)
        if isinstance(kept, logging.LogRecord):  # Python 3.12+: a filter may replace it
            record = kept
        if kept:
            self.emit(record)
        return kept

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.pending.append(self.format(record) + self.terminator)
        except Exception:  # noqa: BLE001 - logging's rule: a bad record never fails a request
            self.handleError(record)
            return
        if (self.seconds <= 0 or record.levelno >= logging.WARNING
                or len(self.pending) >= self.BATCH):
            self.flush()
        elif self._flusher_pid != process.pid():  # first line in this (forked) process
            with self.lock:  # one flusher, however many threads log their first line at once
                if self._flusher_pid != process.pid():
                    self._flusher_pid = process.pid()
                    threading.Thread(target=_flush_every, args=(weakref.ref(self), self.seconds),
                                     name="log-flusher", daemon=True).start()

    def flush(self) -> None:
        """Write the pending lines and flush the stream."""
        with self.lock:
            pending = self.pending  # lines appended meanwhile go with the next flush
            lines = "".join([pending.popleft() for _ in range(len(pending))])
            try:
                if lines:
                    self.stream.write(lines)
                self.stream.flush()
            except (OSError, ValueError):  # a broken pipe, a closed stream: never fail a request
                if not getattr(self.stream, "closed", False):
                    self.handleError(logging.makeLogRecord({"msg": lines[:200]}))


def _flush_every(handler_ref: weakref.ref, seconds: float) -> None:
    """Flush the handler every `seconds` until it is gone."""
    while True:
        time.sleep(seconds)
        handler = handler_ref()
        if handler is None:
            return
        handler.flush()
        del handler  # hold no reference while sleeping


def _flush_app_logs() -> None:
    for handler in logging.getLogger("concierge").handlers:
        handler.flush()


# Lines pending at a fork would be written by the parent and again by the child.
os.register_at_fork(before=_flush_app_logs)


def configure_logging(level: str, seconds: float = 1.0) -> None:
    """Send the app's logs to stderr as JSON lines, written at least every `seconds`."""
    handler = BatchedStreamHandler(sys.stderr, seconds)
    handler.setFormatter(JSONFormatter())
    root = logging.getLogger("concierge")
    _flush_app_logs()
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False


def _start() -> None:
    g.started = time.perf_counter()
    sent = request.headers.get("X-Request-ID", "")
    # Unique, not secret: the seeded PRNG (reseeded in each forked worker) spares a
    # system call per request, whose GIL hand-back stalled busy threaded workers.
    g.request_id = sent if REQUEST_ID.match(sent) else f"{random.getrandbits(96):024x}"
    session = request.headers.get(SESSION_HEADER)
    g.session_id = None
    if session is not None:
        if not SESSION_ID.match(session):
            raise ValidationError(
                {SESSION_HEADER: ["Must be 16-64 characters of A-Z a-z 0-9 _ -."]})
        g.session_id = session


def _api_answers_in_json():
    """Answer OPTIONS and Werkzeug's slash redirects under /api in JSON, not its HTML."""
    if not request.path.startswith("/api/"):
        return None
    redirect = request.routing_exception
    if isinstance(redirect, RequestRedirect):
        # A relative Location: nothing taken from the Host header is sent back.
        target = urlsplit(redirect.new_url)
        location = target.path + (f"?{target.query}" if target.query else "")
        response = jsonify({"status": redirect.code, "location": location})
        response.status_code = redirect.code
        response.headers["Location"] = location
        return response
    if request.method == "OPTIONS" and redirect is None:
        allowed = sorted(request_ctx.url_adapter.allowed_methods())
        response = jsonify({"allow": allowed})
        response.headers["Allow"] = ", ".join(allowed)
        return response
    return None


def _finish(response):
    headers, path, status = response.headers, request.path, response.status_code
    headers["X-Request-ID"] = g.get("request_id", "")
    if status not in RETRY_STATUSES and "Retry-After" in headers:
        # flask-limiter's headers (RATELIMIT_HEADERS_ENABLED) add Retry-After to every
        # answer; it means something only where this app sets it: 429, 503 and 409
        # request-in-progress.
        del headers["Retry-After"]
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    if path.startswith("/api/"):
        headers.setdefault("Cache-Control", "no-store")
    if access_log.isEnabledFor(logging.INFO):
        elapsed = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
        method = request.method
        access_log.info("%s %s %s", method, path, status,
                        extra={"fields": {"method": method, "path": path, "status": status,
                                          "durationMs": round(elapsed, 1)}})
    return response


def init_app(app: Flask) -> None:
    """Install the request hooks."""
    app.before_request(_start)
    app.before_request(_api_answers_in_json)
    app.after_request(_finish)
