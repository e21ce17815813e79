"""The certificate's TODO-CONFIRM items, measured: secondary lookup, TTL (scanning.py: uploads)."""

from __future__ import annotations

from datetime import timedelta

from ..db import INDEXES
from .common import TRACKED, instant
from .context import Context
from .rows import Row


def _without_request_id(body) -> dict:
    return {k: v for k, v in (body or {}).items() if k != "requestId"}


def secondary_lookup(ctx: Context, row: Row) -> None:
    """Email and postal code both open an order; every mismatch answers one identical 404."""
    c = ctx.client
    email = c.post("/orders/lookup", json={"orderNumber": " gg-11982 ",
                                           "email": "  Avery.Stone@EXAMPLE.com "})
    row.check(email.status == 200 and email.get("orderNumber") == "GG-11982",
              "email (other case, spaces) → 200 GG-11982", email.summary())
    postal = c.post("/orders/lookup", json={"orderNumber": "GG-11982", "postalCode": "10001"})
    row.check(postal.status == 200 and postal.get("orderNumber") == "GG-11982",
              "postal code 10001 → 200 GG-11982", postal.summary())
    gift = c.post("/orders/lookup", json={"orderNumber": "GG-12001",
                                          "email": "sam.rivera@example.com"})
    row.check(gift.status == 200, "GG-12001 (digital, no postal code) by email alone → 200",
              gift.summary())
    neither = c.post("/orders/lookup", json={"orderNumber": "GG-11982"})
    row.check(neither.status == 422, "no secondary factor → 422", neither.summary())
    misses = {
        "wrong email": c.post("/orders/lookup", json={**TRACKED,
                                                      "email": ctx.email("stranger")}),
        "wrong postal code": c.post("/orders/lookup", json={"orderNumber": "GG-11982",
                                                            "postalCode": "99999"}),
        "unknown order": c.post("/orders/lookup", json={**TRACKED,
                                                        "orderNumber": "GG-99999"}),
    }
    for what, answer in misses.items():
        row.check(answer.status == 404 and answer.code == "order_not_found",
                  f"{what} → 404 order_not_found", answer.summary())
    bodies = {what: _without_request_id(a.body) for what, a in misses.items()}
    row.check(len({repr(sorted(b.items())) for b in bodies.values()}) == 1,
              "the three 404 bodies are identical apart from requestId", bodies)
    times = {what: a.ms for what, a in misses.items()}
    row.figures["notFoundMs"] = times
    row.note("404 times: " + ", ".join(f"{w} {ms:.0f} ms" for w, ms in times.items()))


def ttl_retention(ctx: Context, row: Row) -> None:
    """Each TTL index exists in the database with the configured expireAfterSeconds."""
    db = ctx.db(row)
    if db is None:
        return
    retention = ctx.config.RETENTION_DAYS
    measured = []
    for index in INDEXES:
        expected = index.kwargs(retention).get("expireAfterSeconds")
        if expected is None:
            continue
        info = db.indexes(index.collection).get(index.name)
        got = None if info is None else info.get("expireAfterSeconds")
        keys = None if info is None else [tuple(k) for k in info.get("key", [])]
        field = index.keys[0][0]
        what = (f"{index.collection}.{field}: {expected // 86400} d" if expected
                else f"{index.collection}.{field}: at the date")
        row.check(got == expected and keys == list(index.keys),
                  f"{what} ({index.name}, expireAfterSeconds {expected})",
                  {"expireAfterSeconds": got, "key": keys})
        measured.append({"collection": index.collection, "field": field, "index": index.name,
                         "expected": expected, "found": got})
    _purge_dates(ctx, row, retention)
    row.figures["ttl"] = measured
    row.figures["retentionDays"] = retention
    row.note(f"read with index_information() from {db.how}")
    if db.kind == "embedded":
        row.note("the embedded store keeps TTL indexes but never expires documents; "
                 "reads apply expiry themselves (expired holds read 'expired')")


def _purge_dates(ctx: Context, row: Row, retention: dict) -> None:
    """Check the per-document retention date of this run's upload (TTL index at 0 s)."""
    document = ctx.state.get("upload_document")
    if not document:
        row.note("per-document purge date not checked: no upload document from this run")
        return
    days = retention["widgetInspirationPending"]
    created, purge = instant(document.get("createdAt")), instant(document.get("purgeAt"))
    row.check(created is not None and purge == created + timedelta(days=days),
              f"this run's pending upload: purgeAt = createdAt + {days} d "
              "(widgetInspirationPending)", (created, purge))
