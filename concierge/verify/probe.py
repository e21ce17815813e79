"""Read the embedded store of a gunicorn worker from the verifier process.

Used as a gunicorn config module (`gunicorn -c python:concierge.verify.probe
wsgi:app`) only by `flask concierge verify`: after the worker has loaded the
app, `post_worker_init` records the shape of every query the app sends to its
store and opens an authenticated Unix socket (private directory, random key)
that answers read-only calls — find, count, index_information, query shapes —
on that same store.  The verifier thus reads the very documents the journeys
produced, inside the process that served them.  Without the two environment
variables the hook does nothing.
"""

from __future__ import annotations

import contextlib
import os
import threading
from multiprocessing.connection import Client, Listener

# The server's own settings (request limits, start-up checks) apply here too.
from ..gunicorn_conf import (  # noqa: F401
    limit_request_field_size,
    limit_request_fields,
    limit_request_line,
    on_starting,
)
from .documents import Documents
from .shapes import ShapeRecorder

ENV_ADDRESS = "CONCIERGE_VERIFY_PROBE_SOCKET"
ENV_KEY = "CONCIERGE_VERIFY_PROBE_KEY"
READ_ONLY = {"find", "find_one", "count", "indexes", "shapes"}


def post_worker_init(worker) -> None:
    """Gunicorn hook: attach the recorder and start answering on the probe socket."""
    address, key = os.environ.get(ENV_ADDRESS), os.environ.get(ENV_KEY)
    if not (address and key):
        return
    store = worker.wsgi.extensions["concierge_store"]
    recorder = ShapeRecorder()
    store.observers.append(recorder)
    documents = Documents(store.database, "embedded",
                          "probe socket into the gunicorn worker's embedded store", recorder)
    # A replacement worker (the first one died) takes the address over; its
    # store is a new one, which the verifier then notices as a failed read.
    with contextlib.suppress(FileNotFoundError):
        os.unlink(address)
    listener = Listener(address, family="AF_UNIX", authkey=key.encode())
    threading.Thread(target=_serve, args=(listener, documents), daemon=True,
                     name="verify-probe").start()


def _serve(listener: Listener, documents: Documents) -> None:
    while True:
        connection = listener.accept()
        threading.Thread(target=_answer, args=(connection, documents), daemon=True,
                         name="verify-probe-conn").start()


def _answer(connection, documents: Documents) -> None:
    with connection:
        while True:
            try:
                operation, args, kwargs = connection.recv()
            except (EOFError, OSError):
                return
            if operation not in READ_ONLY:
                connection.send(("error", f"{operation} is not a read-only probe call"))
                continue
            try:
                connection.send(("ok", getattr(documents, operation)(*args, **kwargs)))
            except Exception as error:  # noqa: BLE001 - the verifier reports it as the row's failure
                connection.send(("error", f"{type(error).__name__}: {error}"))


class ProbeDocuments:
    """The verifier's side: the same calls as Documents, answered by the worker."""

    kind = "embedded"
    how = ("the gunicorn worker's embedded store, read through an authenticated "
           "Unix-socket probe (concierge/verify/probe.py)")

    def __init__(self, address: str, key: str):
        self._address, self._key = address, key
        self._connection = Client(address, family="AF_UNIX", authkey=key.encode())
        self._lock = threading.Lock()

    def reconnect(self) -> None:
        """Connect to the probe of a worker started since (after a restart)."""
        with self._lock:
            self._connection.close()
            self._connection = Client(self._address, family="AF_UNIX",
                                      authkey=self._key.encode())

    def _call(self, operation: str, *args, **kwargs):
        with self._lock:
            self._connection.send((operation, args, kwargs))
            outcome, value = self._connection.recv()
        if outcome != "ok":
            raise RuntimeError(f"probe {operation} failed: {value}")
        return value

    def find(self, collection: str, filter: dict, limit: int = 50,
             sort: list | None = None) -> list[dict]:
        """Return the documents matching a filter."""
        return self._call("find", collection, filter, limit=limit, sort=sort)

    def find_one(self, collection: str, filter: dict) -> dict | None:
        """Return one document matching a filter."""
        return self._call("find_one", collection, filter)

    def count(self, collection: str, filter: dict) -> int:
        """Count the documents matching a filter."""
        return self._call("count", collection, filter)

    def indexes(self, collection: str) -> dict:
        """Return the collection's index_information()."""
        return self._call("indexes", collection)

    def shapes(self) -> list[dict]:
        """Return the query shapes the worker's app issued."""
        return self._call("shapes")

    def close(self) -> None:
        """Close the connection."""
        self._connection.close()
