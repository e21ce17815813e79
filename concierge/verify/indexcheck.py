"""Prove that the queries the app issued are served by an index."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from ..db import INDEXES
from .context import Context
from .documents import COMMENT
from .rows import Row

LOGICAL = ("$and", "$or", "$nor")


def first_keys(indexes: dict) -> dict[str, str]:
    """Return field → index name for the first key of each index (non-partial first)."""
    keys: dict[str, str] = {}
    for name, info in sorted(indexes.items(), key=lambda i: "partialFilterExpression" in i[1]):
        keys.setdefault(info["key"][0][0], name)
    return keys


def serving_index(keys: dict[str, str], query: dict, sort: list | None = None) -> str | None:
    """Return the index whose first key the query filters (or, unfiltered, sorts) on."""
    for field in query:
        if not field.startswith("$") and field in keys:
            return keys[field]
    for branch in query.get("$and", []):
        found = serving_index(keys, branch)
        if found:
            return found
    branches = query.get("$or", [])
    if branches:
        served = [serving_index(keys, branch) for branch in branches]
        if all(served):
            return "+".join(sorted(set(served)))
    if not query and sort and sort[0] in keys:
        return keys[sort[0]]
    return None


def start(ctx: Context) -> None:
    """On real MongoDB, switch the profiler on for the run (noting the level to restore)."""
    db = ctx.documents
    if db is None or db.kind != "mongodb":
        return
    try:
        was = db.command("profile", -1).get("was", 0)
        db.command("profile", 2)
        ctx.state["profiler"] = {"was": was, "since": datetime.now(UTC)}
    except Exception as error:  # noqa: BLE001 - reported in the row (e.g. not authorised)
        ctx.state["profiler"] = {"error": f"{type(error).__name__}: {error}"}


def index_backed(ctx: Context, row: Row) -> None:
    """Check every query shape of this run against the indexes."""
    db = ctx.db(row)
    if db is None:
        return
    if db.kind == "mongodb":
        _profiled(ctx, row, db)
    else:
        _recorded(row, db)


def _recorded(row: Row, db) -> None:
    shapes = db.shapes() or []
    row.require(bool(shapes), "query shapes were recorded during the run", len(shapes))
    row.note(f"method: every query the app sent to its store during this run was recorded "
             f"({sum(s['count'] for s in shapes)} calls, {len(shapes)} shapes) and matched "
             "against the indexes the database reports (index_information()), all declared "
             "in concierge.db.INDEXES: an index whose first key the filter uses")
    declared = {index.name for index in INDEXES} | {"_id_"}
    indexes = {c: db.indexes(c) for c in {shape["collection"] for shape in shapes}}
    unfiltered, served, unserved = [], [], []
    for shape in shapes:
        name = f"{shape['collection']}.{shape['method']} {json.dumps(shape['filter'])}"
        index = serving_index(first_keys(indexes[shape["collection"]]), shape["filter"],
                              shape["sort"])
        if index:
            served.append({"shape": name, "index": index, "count": shape["count"]})
        elif not shape["filter"]:
            unfiltered.append(f"{shape['collection']}.{shape['method']} x{shape['count']}")
        else:
            unserved.append(name)
    row.check(not unserved, f"{len(served)} filtered query shapes, each served by an index "
              "in the database", unserved)
    # An $or served branch by branch names each branch's index ("a+b").
    undeclared = sorted({name for s in served for name in s["index"].split("+")} - declared)
    row.check(not undeclared, "every serving index is declared in concierge.db.INDEXES",
              undeclared)
    if unfiltered:
        row.note("whole-collection reads (no filter to index; paging and sorting happen on "
                 "the cursor): " + ", ".join(sorted(unfiltered)))
    row.figures.update(method="recorded shapes vs the database's (declared) indexes", served=served,
                       unserved=unserved, unfiltered=unfiltered)


def _comment_of(command: dict):
    return command.get("comment") or (command.get("originatingCommand") or {}).get("comment")


def _filter_of(command: dict) -> dict:
    """Return the filter of a profiled find, update, delete, count or aggregate."""
    for name in ("filter", "q", "query"):
        if command.get(name):
            return command[name]
    pipeline = command.get("pipeline") or []
    return (pipeline[0].get("$match") or {}) if pipeline else {}


def _profiled(ctx: Context, row: Row, db) -> None:
    profiler = ctx.state.get("profiler") or {}
    if "error" in profiler or "since" not in profiler:
        row.warn(f"not checked: the MongoDB profiler could not be enabled "
                 f"({profiler.get('error', 'not started')})")
        return
    try:
        entries = db.find("system.profile", {"ts": {"$gte": profiler["since"]},
                                             "planSummary": {"$exists": True}}, limit=20000)
    finally:
        db.command("profile", profiler["was"])
    plans: dict[str, set] = {}
    scans, unfiltered = [], set()
    for entry in entries:
        collection = entry.get("ns", "").split(".", 1)[-1]
        if collection.startswith("system."):
            continue
        command = entry.get("command") or {}
        if _comment_of(command) == COMMENT:
            continue  # the verifier's own reads
        plan = entry.get("planSummary", "")
        plans.setdefault(collection, set()).add(plan)
        if plan.startswith("COLLSCAN"):
            query = _filter_of(command)
            if query:
                scans.append(f"{collection}: {json.dumps(query, default=str)[:120]}")
            else:
                unfiltered.add(collection)
    row.note(f"method: MongoDB profiler (level 2) during the run, {len(entries)} operations; "
             "planSummary of each (the server's own explain of what it ran)")
    row.check(bool(entries), "the profiler captured the run's operations", len(entries))
    row.check(not scans, "no filtered query ran as COLLSCAN", sorted(set(scans))[:10])
    if unfiltered:
        row.note("whole-collection reads (no filter): " + ", ".join(sorted(unfiltered)))
    row.figures.update(method="MongoDB profiler planSummary",
                       plans={k: sorted(v) for k, v in plans.items()}, collscans=scans)
