"""Record the queries an app sends its store and tell which no index serves."""

from __future__ import annotations

from concierge.db import INDEXES

QUERY_METHODS = {"find", "find_one", "count_documents", "update_one", "update_many",
                 "delete_one", "delete_many", "find_one_and_update", "find_one_and_delete",
                 "replace_one", "distinct", "aggregate"}


class QueryLog:
    """Collect (collection, filter, sort) for every query the app sends the store."""

    def __init__(self):
        self.queries: list[dict] = []

    def __call__(self, collection, method, args, kwargs):
        if method == "sort" and self.queries and self.queries[-1]["method"] == "find":
            self.queries[-1]["sort"] = args[0] if isinstance(args[0], str) else args[0][0][0]
            return
        if method not in QUERY_METHODS:
            return
        if method == "aggregate":
            pipeline = args[0] if args else kwargs["pipeline"]
            query = pipeline[0].get("$match", {}) if pipeline else {}
        elif method == "distinct":
            query = args[1] if len(args) > 1 else kwargs.get("filter") or {}
        else:
            query = args[0] if args else kwargs.get("filter") or {}
        sort = kwargs.get("sort")
        self.queries.append({"collection": collection.name, "method": method,
                             "filter": query, "sort": sort[0][0] if sort else None})


def _fields(query: dict) -> set[str]:
    fields = set()
    for key, value in query.items():
        if key == "$and":
            for part in value:
                fields |= _fields(part)
        elif not key.startswith("$"):
            fields.add(key)
    return fields


def served(collection: str, query: dict, sort: str | None) -> bool:
    """Tell whether a declared index can serve this query (first key among its fields)."""
    if "$or" in query:
        return all(served(collection, {**{k: v for k, v in query.items() if k != "$or"},
                                       **branch}, sort) for branch in query["$or"])
    fields = _fields(query)
    if "_id" in fields:
        return True
    leading = {index.keys[0][0] for index in INDEXES if index.collection == collection}
    if fields:
        return bool(fields & leading)
    return sort in leading


def unserved(log: QueryLog) -> list[dict]:
    """Return the recorded queries that no declared index serves."""
    return [q for q in log.queries if not served(q["collection"], q["filter"], q["sort"])]

