"""Record the shape of every query the app sends to the embedded store."""

from __future__ import annotations

import contextlib
import json
import threading

import mongomock

QUERY_METHODS = {
    "find", "find_one", "find_one_and_update", "find_one_and_delete", "find_one_and_replace",
    "update_one", "update_many", "replace_one", "delete_one", "delete_many",
    "count_documents", "aggregate", "distinct",
}
LOGICAL = {"$and", "$or", "$nor"}


def skeleton(value):
    """Return a query with its values blanked, keeping fields and operators."""
    if isinstance(value, dict):
        return {key: skeleton(item) for key, item in value.items()}
    if isinstance(value, list | tuple) and value and all(isinstance(v, dict) for v in value):
        return [skeleton(item) for item in value]
    return "?"


def _filter_of(method: str, args: tuple, kwargs: dict) -> dict:
    if method == "aggregate":
        pipeline = kwargs.get("pipeline", args[0] if args else [])
        first = pipeline[0] if pipeline else {}
        return first.get("$match", {}) if isinstance(first, dict) else {}
    if method == "distinct":
        return kwargs.get("filter", args[1] if len(args) > 1 else None) or {}
    return kwargs.get("filter", args[0] if args else None) or {}


class ShapeRecorder:
    """An observer for concierge.db.Store: counts each (collection, method, shape) seen."""

    def __init__(self):
        self._lock = threading.Lock()
        self._quiet = threading.local()
        self._shapes: dict[str, dict] = {}

    def __call__(self, target, method: str, args: tuple, kwargs: dict) -> None:
        """Note one call made on the store (the Store calls every observer)."""
        if getattr(self._quiet, "on", False) or method not in QUERY_METHODS:
            return
        if not isinstance(target, mongomock.Collection):
            return
        shape = skeleton(_filter_of(method, args, kwargs))
        sort = kwargs.get("sort")
        sort_fields = [item[0] if isinstance(item, list | tuple) else item
                       for item in (sort or [])]
        key = json.dumps([target.name, method, shape, sort_fields], sort_keys=True)
        with self._lock:
            entry = self._shapes.setdefault(key, {
                "collection": target.name, "method": method, "filter": shape,
                "sort": sort_fields, "count": 0})
            entry["count"] += 1

    @contextlib.contextmanager
    def quiet(self):
        """Do not record the calls this thread makes inside the block (the verifier's own)."""
        self._quiet.on = True
        try:
            yield
        finally:
            self._quiet.on = False

    def shapes(self) -> list[dict]:
        """Return every shape seen so far with its count."""
        with self._lock:
            return [dict(entry) for entry in self._shapes.values()]
