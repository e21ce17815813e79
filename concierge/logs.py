"""JSON log lines, written by a background thread, and the access log."""

from __future__ import annotations

import atexit
import collections
import json
import logging
import os
import sys
import threading
import time
import traceback

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


class _Lines(logging.Handler):
    """Format each record in the thread that logs it (it knows the requestId); hand the line on."""

    def __init__(self, writer: _Writer):
        super().__init__()
        self.writer = writer

    def handle(self, record: logging.LogRecord) -> bool | logging.LogRecord:
        """Filter and emit the record without logging's per-handler lock.

        logging formats under that lock; a thread switched out while holding it
        stalls every other thread's access line, and under load the threads
        queued on it cost more than the lines.  Nothing here needs it: the
        line is formatted in the logging thread, and the writer keeps the order.
        """
        kept = self.filter(record)
        if isinstance(kept, logging.LogRecord):  # Python 3.12: a filter may replace it
            record = kept
        if kept:
            self.emit(record)
        return kept

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the line for the writer; from WARNING up, write it and all before it at once."""
        try:
            line = self.format(record)
        except Exception:  # noqa: BLE001 (logging's rule: a bad line is reported, not raised)
            self.handleError(record)
            return
        self.writer.add(line, now=record.levelno >= logging.WARNING)


class _Writer:
    """The process's log lines, written in batches by one thread.

    Not logging's QueueHandler and QueueListener: they take a lock per line
    (the handler's, then the queue's) and wake the listener for every line.
    Under a threaded worker, a thread the GIL switched out while holding such
    a lock made every other request queue behind it for its access line (see
    docs/performance.md).  Here a line is appended to a deque, which needs no
    lock; the thread writes what has gathered every INTERVAL seconds (sooner
    once BATCH lines wait) in one write; a warning or an error is written at
    once, after every line before it, by the thread that logs it.
    """

    INTERVAL = 0.1
    BATCH = 256

    def __init__(self):
        self.stream = _Stderr()
        self.lines: collections.deque[str] = collections.deque()
        self.lock = threading.Lock()  # one batch written at a time, in order
        self.due = threading.Event()
        self.thread: threading.Thread | None = None

    def start(self, stream) -> _Lines:
        """Write to `stream` from now on; return the handler to log to."""
        self.stop()
        self.stream = stream
        self._start_thread()
        handler = _Lines(self)
        handler.setFormatter(JSONFormatter())
        return handler

    def add(self, line: str, now: bool) -> None:
        """Keep a line; write everything kept at once if `now` or no thread writes."""
        self.lines.append(line)
        if now or self.thread is None:
            self.write_out()
        elif len(self.lines) >= self.BATCH and not self.due.is_set():
            self.due.set()

    def write_out(self) -> None:
        """Write every line kept so far, in the order they were logged."""
        with self.lock:
            batch = []
            while self.lines:
                batch.append(self.lines.popleft())
            if batch:
                try:
                    self.stream.write("\n".join(batch) + "\n")
                    self.stream.flush()
                except (OSError, ValueError):  # a closed or broken stream, as logging reports it
                    traceback.print_exc(file=sys.__stderr__)

    def stop(self) -> None:
        """Write what is kept and stop the thread; later lines are written at once."""
        thread, self.thread = self.thread, None
        if thread is not None:
            self.due.set()
            thread.join()
        self.write_out()

    def _start_thread(self) -> None:
        self.due = threading.Event()
        self.thread = threading.Thread(target=self._run, args=(self.due,),
                                       name="concierge-log-writer", daemon=True)
        self.thread.start()

    def _run(self, due: threading.Event) -> None:
        while True:
            due.wait(self.INTERVAL)
            due.clear()
            self.write_out()
            if self.thread is not threading.current_thread():  # stopped, or replaced
                return

    def before_fork(self) -> None:
        """Hold the lock across a fork, so the child's copy of it is not held by a lost thread."""
        self.lock.acquire()

    def after_fork_in_parent(self) -> None:
        """Let the parent write again."""
        self.lock.release()

    def after_fork_in_child(self) -> None:
        """Give a forked process its own lines, lock and thread; the parent writes its own lines."""
        self.lines = collections.deque()
        self.lock = threading.Lock()
        if self.thread is not None:
            self._start_thread()


_writer = _Writer()
atexit.register(_writer.stop)
os.register_at_fork(before=_writer.before_fork, after_in_parent=_writer.after_fork_in_parent,
                    after_in_child=_writer.after_fork_in_child)


def configure_logging(level: str, stream=None) -> None:
    """Send the app's logs as JSON lines to stderr (or `stream`)."""
    root = logging.getLogger("concierge")
    root.handlers[:] = [_writer.start(_Stderr() if stream is None else stream)]
    root.setLevel(level)
    root.propagate = False


def flush() -> None:
    """Write every line logged so far (tests, and before reading the log)."""
    _writer.write_out()


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
