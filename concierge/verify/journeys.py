"""Evidence rows: the flag and contract surface, products, order tracking, returns."""

from __future__ import annotations

import re

from .common import (
    FLAG_ID,
    INTENTS,
    PRODUCT_FIELDS,
    RETURNABLE,
    TRACKED,
    WINDOW_CLOSED,
    guarded_by,
    instant,
    iso_z,
    key,
)
from .context import Context
from .rows import Row


def flag_and_contract(ctx: Context, row: Row) -> None:
    """Health, the caller's config (flag on), the OpenAPI document, the flag document."""
    c = ctx.client
    health = c.get("/health", session=False)
    row.check(health.status == 200 and health.get("database") == "ok",
              "GET /health → 200 database ok", health.summary())
    config = c.get("/config")
    row.require(config.status == 200, "GET /config → 200", config.summary())
    tries = ctx.state.get("canaryTries")
    row.check(config.get("realEndpointsEnabled") is True,
              f"this session is inside concierge.realEndpointsEnabled (found in {tries} "
              f"{'try' if tries == 1 else 'tries'} of random session ids)",
              config.get("realEndpointsEnabled"))
    row.check(config.get("intents") == list(INTENTS), "config lists the nine intent ids",
              config.get("intents"))
    spec = c.get("/openapi.json", session=False)
    paths = spec.get("paths") or {}
    row.check(spec.status == 200 and str(spec.get("openapi", "")).startswith("3"),
              f"GET /openapi.json → OpenAPI 3 document with {len(paths)} paths",
              spec.summary())
    db = ctx.db(row)
    if db is not None:
        flag = db.find_one("featureFlags", {"_id": FLAG_ID})
        row.check(bool(flag) and flag.get("enabled") is True,
                  f"DB featureFlags {FLAG_ID}: enabled, canaryPercent "
                  f"{(flag or {}).get('canaryPercent')}", flag)


def products(ctx: Context, row: Row) -> None:
    """Browse, filter, search and open a product; compare with the products collection."""
    c = ctx.client
    listing = c.get("/products", params={"pageSize": 50})
    row.require(listing.status == 200, "GET /products → 200", listing.summary())
    items, total = listing.get("items") or [], listing.get("total")
    row.require(bool(items) and isinstance(total, int), "listing has items and a total")
    row.check(total >= 200, f"catalogue total {total} ≥ 200", total)
    missing = sorted({f for item in items for f in PRODUCT_FIELDS if f not in item})
    row.check(not missing, "every listed product has sku, name, category, price, colors, "
              "sizes, imageUrl, url, inStock", missing)
    first = items[0]
    ctx.state["skus"] = [item["sku"] for item in items[:6]]
    detail = c.get(f"/products/{first['sku']}")
    row.require(detail.status == 200, f"GET /products/{first['sku']} → 200", detail.summary())
    row.check(bool(detail.get("description")) and detail.get("name") == first["name"]
              and detail.get("price") == first["price"],
              "detail adds a description; name and price match the listing")
    unknown = c.get("/products/VERIFY-NO-SUCH-SKU")
    row.check(unknown.status == 404 and unknown.code == "product_not_found",
              "unknown sku → 404 product_not_found", unknown.summary())
    category = first["category"]
    by_category = c.get("/products", params={"category": category, "pageSize": 50})
    in_it = by_category.get("items") or []
    # An empty page would pass "all in it": the listed first product must be there.
    row.check(by_category.status == 200 and first["sku"] in [i.get("sku") for i in in_it]
              and all(i.get("category") == category for i in in_it),
              f"category={category} → {by_category.get('total')} products, all in it, "
              f"incl. {first['sku']}", by_category.summary())
    # Its whole name, upper-cased: every word must match, so the product must be found
    # on the first page, and the search must narrow the catalogue.
    words = " ".join(re.findall(r"[A-Za-z]{3,}", first["name"])) or first["name"]
    search = c.get("/products", params={"q": words.upper(), "pageSize": 50})
    found = [i.get("sku") for i in search.get("items") or []]
    row.check(search.status == 200 and first["sku"] in found
              and 0 < (search.get("total") or 0) < total,
              f"q={words.upper()} (case-insensitive) → {search.get('total')} of {total} "
              f"products, incl. {first['sku']}", search.summary())
    ctx.expect_event(search, "Products discovery")
    bad = c.get("/products", params={"pageSize": 0})
    row.check(bad.status == 422 and bad.code == "validation_error",
              "pageSize=0 → 422 validation_error", bad.summary())
    db = ctx.db(row)
    if db is None:
        return
    stored = db.find_one("products", {"sku": first["sku"]})
    row.check(bool(stored) and stored.get("name") == first["name"]
              and stored.get("price") == first["price"],
              f"DB products {first['sku']}: name and price equal the API's", stored)
    row.check(db.count("products", {}) == total,
              f"DB products count equals the API total ({total})", db.count("products", {}))
    in_category = db.count("products", {"category": category})
    row.check(in_category == by_category.get("total"),
              f"DB products with category {category}: {in_category} = API total",
              by_category.get("total"))
    row.figures.update(total=total, category=category, searchWords=words)


def order_tracking(ctx: Context, row: Row) -> None:
    """Look up GG-11982; its timeline, in time order, equals the orders document's."""
    c = ctx.client
    answer = c.post("/orders/lookup", json=TRACKED)
    row.require(answer.status == 200, "POST /orders/lookup GG-11982 + email → 200",
                answer.summary())
    ctx.expect_event(answer, "Order tracking", "aurora_order_tracked")
    timeline = answer.get("timeline") or []
    ctx.state["timeline"] = timeline
    times = [instant(event.get("at")) for event in timeline]
    row.check(len(timeline) >= 4, f"status {answer.get('status')}, timeline of "
              f"{len(timeline)} events (≥ 4)", len(timeline))
    row.check(all(times) and times == sorted(times), "timeline in time order, ISO UTC times")
    row.check(all({"status", "at", "description", "location"} <= set(e) for e in timeline),
              "each event has status, at, description, location")
    for name in ("orderNumber", "status", "placedAt", "estimatedDelivery", "carrier",
                 "trackingNumber", "items"):
        if name not in (answer.body or {}):
            row.check(False, f"lookup answer has {name}")
    row.figures["timeline"] = [e.get("status") for e in timeline]
    row.note("the widget shows this timeline: see the headless Chromium row")
    db = ctx.db(row)
    if db is None:
        return
    order = db.find_one("orders", {"orderNumber": "GG-11982"})
    row.require(order is not None, "DB orders GG-11982 exists")
    stored = sorted(order.get("timeline") or [], key=lambda e: instant(e.get("at")))
    row.check([e.get("status") for e in stored] == [e.get("status") for e in timeline]
              and [instant(e.get("at")) for e in stored] == times,
              f"DB orders GG-11982: same {len(stored)} timeline events and times",
              [e.get("status") for e in stored])
    row.check(order.get("status") == answer.get("status"),
              f"DB order status {order.get('status')} = API status", answer.get("status"))


def returns(ctx: Context, row: Row) -> None:
    """Create an RMA with an Idempotency-Key, replay it, and find exactly one document."""
    c = ctx.client
    order = c.post("/orders/lookup", json=RETURNABLE)
    row.require(order.status == 200, "GG-10457 found", order.summary())
    db = ctx.db(row)
    before = db.count("returns", {"orderNumber": "GG-10457"}) if db else None
    created, body, idem = None, None, None
    for item in order.get("items") or []:  # a rerun on a kept database may have used one up
        idem = key()
        body = {**RETURNABLE, "items": [{"sku": item["sku"], "quantity": 1,
                                         "reason": "too_small"}], "comment": "verify run"}
        created = c.post("/returns", json=body, headers={"Idempotency-Key": idem})
        if created.code != "return_quantity_exceeded":
            break
    if created is not None and created.code == "return_quantity_exceeded":
        row.require(False, "GG-10457 has a quantity left to return (earlier runs on this "
                    "database returned everything: use a fresh database)", created.summary())
    row.require(created is not None and created.status == 201
                and str(created.get("rmaNumber", "")).startswith("RMA-"),
                "POST /returns → 201 RMA-…", created and created.summary())
    rma = created.get("rmaNumber")
    ctx.expect_event(created, "Returns", "aurora_return_created")
    row.check(created.get("status") == "requested" and iso_z(created.get("createdAt")),
              f"{rma}: status requested, createdAt ISO UTC")
    replay = c.post("/returns", json=body, headers={"Idempotency-Key": idem})
    row.check(replay.status == 201 and replay.body == created.body
              and replay.headers.get("Idempotent-Replayed") == "true",
              "same key + body again → 201, same body, Idempotent-Replayed: true",
              replay.summary())
    other = c.post("/returns", json={**body, "comment": "another body"},
                   headers={"Idempotency-Key": idem})
    row.check(other.status == 422 and other.code == "idempotency_key_reused",
              "same key, other body → 422 idempotency_key_reused", other.summary())
    keyless = c.post("/returns", json=body)
    row.check(keyless.status == 400 and keyless.code == "idempotency_key_required",
              "no key → 400 idempotency_key_required", keyless.summary())
    closed_order = c.post("/orders/lookup", json=WINDOW_CLOSED)
    closed_sku = ((closed_order.get("items") or [{}])[0]).get("sku", "VERIFY-ANY")
    closed = c.post("/returns", json={**WINDOW_CLOSED, "items": [
        {"sku": closed_sku, "quantity": 1, "reason": "other"}]},
        headers={"Idempotency-Key": key()})
    row.check(closed.status == 422 and closed.code == "return_not_eligible",
              "GG-10212 (45 days) → 422 return_not_eligible", closed.summary())
    row.figures["rmaNumber"] = rma
    if db is None:
        return
    stored = db.find("returns", {"rmaNumber": rma})
    row.check(len(stored) == 1 and stored[0].get("orderNumber") == "GG-10457",
              f"DB returns: exactly 1 document {rma} for GG-10457", len(stored))
    after = db.count("returns", {"orderNumber": "GG-10457"})
    row.check(after - before == 1, "DB returns for GG-10457 grew by 1 across 3 POSTs with "
              "one key", after - before)
    guarded_by(row, db, "rma_unique")
    record = db.find_one("idempotencyKeys", {"_id": f"returns:{idem}"})
    row.check(bool(record) and record.get("state") == "done",
              "DB idempotencyKeys holds the key's finished answer", record)
