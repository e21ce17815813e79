"""Every query shape the repositories issue is served by a declared index."""

from __future__ import annotations

import io

import pytest

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


@pytest.fixture
def query_log(app):
    log = QueryLog()
    app.extensions["concierge_store"].observers.append(log)
    yield log
    app.extensions["concierge_store"].observers.remove(log)


def test_checker_refuses_an_unindexed_query():
    assert not served("orders", {"carrier": "UPS"}, None)
    assert not served("products", {}, None)
    assert served("products", {}, "rank")
    assert served("orders", {"orderNumber": "GG-1", "email": "x"}, None)


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), "tan").save(buffer, "PNG")
    return buffer.getvalue()


def walk(client, headers):
    """Call every endpoint once, the way the widget does."""
    api = "/api/concierge"
    client.get(f"{api}/health")
    client.get(f"{api}/config", headers=headers)
    client.post(f"{api}/orders/lookup", headers=headers,
                json={"orderNumber": "GG-11982", "email": "avery.stone@example.com"})


def test_every_query_of_every_journey_is_index_backed(client, query_log, session_headers):
    walk(client, session_headers)
    assert len(query_log.queries) >= 3
    unserved = [q for q in query_log.queries
                if not served(q["collection"], q["filter"], q["sort"])]
    assert unserved == []
