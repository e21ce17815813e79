"""JSON log lines, written by a background thread, and the access log."""

from __future__ import annotations

import atexit
import json
import logging
import os
import queue
import sys
import time
from logging.handlers import QueueHandler, QueueListener

from flask import Flask, g, has_request_context, request

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
        """Return the record as one JSON object (message, level, logger, requestId, fields)."""
        entry = {"time": self.formatTime(record),
                 "level": record.levelname, "logger": record.name,
                 "message": record.getMessage()}
        if has_request_context():
            entry["requestId"] = g.get("request_id")
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


class _Stderr:
    """Whatever sys.stderr is when a line is written (servers and tests replace it)."""

    def write(self, text: str) -> int:
        """Write to the current stderr."""
        return sys.stderr.write(text)

    def flush(self) -> None:
        """Flush the current stderr."""
        sys.stderr.flush()


class _Lines(QueueHandler):
    """Queue each formatted line for the writer thread; warnings wait until written.

    A warning or an error is on stderr, after every line logged before it,
    when the logging call returns; while no writer thread runs (before the
    first configuration, after the one at exit) lines are written at once.
    """

    def __init__(self, lines: queue.Queue, writer: _Writer):
        super().__init__(lines)
        self.writer = writer

    def enqueue(self, record: logging.LogRecord) -> None:
        """Queue the line; wait for the queue to be written out from WARNING up."""
        if not self.writer.running:
            self.writer.target.handle(record)
            return
        self.queue.put_nowait(record)
        if record.levelno >= logging.WARNING:
            self.queue.join()  # the listener marks each line done once written


class _Writer:
    """The app's one queue of log lines and the QueueListener thread that writes them."""

    def __init__(self):
        self.handler: _Lines | None = None
        self.listener: QueueListener | None = None
        self.target = logging.StreamHandler(_Stderr())
        self.running = False

    def start(self, stream) -> QueueHandler:
        """Write to `stream` from now on; return the handler to log to."""
        self.stop()
        lines: queue.Queue = queue.Queue()
        self.target = logging.StreamHandler(stream)
        # The request's thread formats the line (it knows the requestId); the
        # listener's thread only writes it.
        self.handler = _Lines(lines, self)
        self.handler.setFormatter(JSONFormatter())
        self.listener = QueueListener(lines, self.target)
        self.listener.start()
        self.running = True
        return self.handler

    def flush(self) -> None:
        """Write every line logged so far."""
        if self.running:
            self.handler.queue.join()

    def stop(self) -> None:
        """Write what is queued and stop the thread; later lines are written at once."""
        if self.listener is not None:
            self.running = False
            self.listener.stop()
            self.listener = None

    def restart_in_child(self) -> None:
        """Give a forked process its own queue and thread; the parent writes its own lines."""
        if self.listener is None:
            return
        lines: queue.Queue = queue.Queue()
        self.handler.queue = lines
        self.listener = QueueListener(lines, self.target)
        self.listener.start()
        self.running = True


_writer = _Writer()
atexit.register(_writer.stop)
os.register_at_fork(after_in_child=_writer.restart_in_child)


def configure_logging(level: str, stream=None) -> None:
    """Send the app's logs as JSON lines to stderr (or `stream`)."""
    root = logging.getLogger("concierge")
    root.handlers[:] = [_writer.start(_Stderr() if stream is None else stream)]
    root.setLevel(level)
    root.propagate = False


def flush() -> None:
    """Write every line logged so far (tests, and before reading the log)."""
    _writer.flush()


def _start_timer() -> None:
    g.started = time.perf_counter()


def _log_access(response):
    if access_log.isEnabledFor(logging.INFO):
        elapsed = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
        method, path, status = request.method, request.path, response.status_code
        access_log.info("%s %s %s", method, path, status,
                        extra={"fields": {"method": method, "path": path, "status": status,
                                          "durationMs": round(elapsed, 1)}})
    return response


def init_app(app: Flask) -> None:
    """Log one access line per request; register first, so it runs after every other hook."""
    app.before_request(_start_timer)
    app.after_request(_log_access)
