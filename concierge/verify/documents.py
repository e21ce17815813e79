"""Read-only access to the documents of the store under test."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from .shapes import ShapeRecorder

# Tags the verifier's own queries on real MongoDB, so the profiler check leaves them out.
COMMENT = "aurora-concierge-verify"


class Documents:
    """Read documents, indexes and query shapes from one database (real or embedded)."""

    def __init__(self, database: Callable[[], object], kind: str, how: str,
                 recorder: ShapeRecorder | None = None):
        self._database = database
        self.kind = kind  # "embedded" or "mongodb"
        self.how = how  # how the verifier reaches the documents, for the report
        self._recorder = recorder

    def _quiet(self):
        return self._recorder.quiet() if self._recorder else contextlib.nullcontext()

    def _tag(self) -> dict:
        return {"comment": COMMENT} if self.kind == "mongodb" else {}

    def find(self, collection: str, filter: dict, limit: int = 50,
             sort: list | None = None) -> list[dict]:
        """Return the documents matching a filter."""
        with self._quiet():
            cursor = self._database()[collection].find(filter, **self._tag())
            if sort:
                cursor = cursor.sort(sort)
            return list(cursor.limit(limit))

    def find_one(self, collection: str, filter: dict) -> dict | None:
        """Return one document matching a filter."""
        found = self.find(collection, filter, limit=1)
        return found[0] if found else None

    def count(self, collection: str, filter: dict) -> int:
        """Count the documents matching a filter."""
        with self._quiet():
            return self._database()[collection].count_documents(filter, **self._tag())

    def indexes(self, collection: str) -> dict:
        """Return the collection's index_information() as the database reports it."""
        with self._quiet():
            return self._database()[collection].index_information()

    def command(self, *args, **kwargs) -> dict:
        """Run a database command (real MongoDB: the profiler)."""
        with self._quiet():
            return self._database().command(*args, **kwargs)

    def shapes(self) -> list[dict] | None:
        """Return the query shapes the app issued (embedded store only)."""
        return self._recorder.shapes() if self._recorder else None
