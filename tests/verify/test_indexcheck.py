"""How the index row decides that a query is index-backed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from concierge.verify import indexcheck
from concierge.verify.context import Context
from concierge.verify.documents import COMMENT
from concierge.verify.rows import FAIL, PASS, WARN, Row

KEYS = {"_id": "_id_", "sku": "sku_unique", "keywords": "keywords_rank", "rank": "rank",
        "capsuleId": "capsule_status_expiry"}


@pytest.mark.parametrize(("query", "sort", "index"), [
    ({"sku": "?"}, None, "sku_unique"),
    ({"inStock": "?", "keywords": {"$all": "?"}}, None, "keywords_rank"),
    ({"inStock": "?"}, None, None),
    ({"$and": [{"inStock": "?"}, {"sku": {"$in": "?"}}]}, None, "sku_unique"),
    ({"$or": [{"sku": "?"}, {"_id": "?"}]}, None, "_id_+sku_unique"),
    ({"$or": [{"sku": "?"}, {"name": "?"}]}, None, None),
    ({}, ["rank"], "rank"),
    ({}, None, None),
])
def test_a_query_is_served_when_an_index_starts_with_one_of_its_fields(query, sort, index):
    assert indexcheck.serving_index(KEYS, query, sort) == index


def test_first_keys_prefer_an_index_without_a_partial_filter():
    indexes = {"one_active": {"key": [("capsuleId", 1), ("email", 1)],
                              "partialFilterExpression": {"status": "active"}},
               "by_status": {"key": [("capsuleId", 1), ("status", 1)]}}
    assert indexcheck.first_keys(indexes) == {"capsuleId": "by_status"}


class _ProfiledDatabase:
    """A real-MongoDB reader as the row sees it, with a profiler's entries."""

    kind, how = "mongodb", "a profiled database"

    def __init__(self, entries):
        self.entries, self.commands = entries, []

    def command(self, *args):
        self.commands.append(args)
        return {"was": 1, "ok": 1}

    def find(self, collection, query, limit=50, sort=None):
        assert collection == "system.profile"
        return self.entries


def _entry(ns, plan, command):
    return {"ns": f"concierge.{ns}", "planSummary": plan, "command": command,
            "ts": datetime.now(UTC)}


def _run(entries) -> tuple[Row, _ProfiledDatabase]:
    db = _ProfiledDatabase(entries)
    ctx = Context(client=None, documents=db, config=None, report_dir=None, target="",
                  run_id="t")
    indexcheck.start(ctx)
    row = Row("indexes", "Hot queries are index-backed", "confirm")
    indexcheck.index_backed(ctx, row)
    return row.finish(), db


def test_the_profiler_row_fails_on_a_filtered_collection_scan_and_restores_the_level():
    row, db = _run([
        _entry("products", "IXSCAN { sku: 1 }", {"find": "products", "filter": {"sku": "A"}}),
        _entry("capsules", "COLLSCAN", {"find": "capsules", "filter": {}}),
        _entry("orders", "COLLSCAN", {"update": "orders", "q": {"email": "x"}}),
    ])
    assert row.status == FAIL
    assert "orders" in str(row.failures)
    assert "capsules" in " ".join(row.proof)  # unfiltered reads are listed, not failed
    assert db.commands == [("profile", -1), ("profile", 2), ("profile", 1)]


def test_the_verifiers_own_reads_are_left_out_of_the_profiler_row():
    row, _ = _run([
        _entry("products", "IXSCAN { sku: 1 }", {"find": "products", "filter": {"sku": "A"}}),
        _entry("agentNotifications", "COLLSCAN",
               {"find": "agentNotifications", "filter": {"csatId": "c"}, "comment": COMMENT}),
    ])
    assert row.status == PASS


def test_without_the_right_to_profile_the_row_is_a_warning():
    class Refusing(_ProfiledDatabase):
        def command(self, *args):
            raise PermissionError("not authorized on concierge to execute command profile")

    ctx = Context(client=None, documents=Refusing([]), config=None, report_dir=None,
                  target="", run_id="t")
    indexcheck.start(ctx)
    row = Row("indexes", "Hot queries are index-backed", "confirm")
    indexcheck.index_backed(ctx, row)
    assert row.finish().status == WARN
    assert "not authorized" in row.warnings[0]


class _RecordedDatabase:
    """The embedded store as the row sees it: the shapes of a run and its indexes."""

    kind, how = "embedded", "recorded shapes"

    def __init__(self, shapes, indexes):
        self._shapes, self._indexes = shapes, indexes

    def shapes(self):
        return self._shapes

    def indexes(self, collection):
        return self._indexes


@pytest.mark.parametrize(("second", "status"), [("shortlists_by_session", PASS),
                                                ("made_by_hand", FAIL)])
def test_an_or_served_by_two_declared_indexes_passes_and_an_undeclared_one_fails(second,
                                                                                 status):
    shape = {"collection": "widgetShortlists", "method": "find", "count": 1, "sort": None,
             "filter": {"$or": [{"shortlistId": {"$in": "?"}}, {"sessionId": {"$in": "?"}}]}}
    indexes = {"shortlist_id_unique": {"key": [("shortlistId", 1)]},
               second: {"key": [("sessionId", 1)]}}
    ctx = Context(client=None, documents=_RecordedDatabase([shape], indexes), config=None,
                  report_dir=None, target="", run_id="t")
    row = Row("indexes", "Hot queries are index-backed", "confirm")
    indexcheck.index_backed(ctx, row)
    assert row.finish().status == status

