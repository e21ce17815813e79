"""The certificate's evidence rows: each journey over HTTP, then its MongoDB document."""

from __future__ import annotations

import re
import secrets
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from ..db import INDEXES
from .context import Context
from .rows import Row

TRACKED = {"orderNumber": "GG-11982", "email": "avery.stone@example.com"}
RETURNABLE = {"orderNumber": "GG-10457", "email": "jordan.lee@example.com"}
WINDOW_CLOSED = {"orderNumber": "GG-10212", "email": "casey.morgan@example.com"}
PRODUCT_FIELDS = ("sku", "name", "category", "price", "colors", "sizes", "imageUrl", "url",
                  "inStock")
INTENTS = ("products", "order_tracking", "returns", "capsules", "shortlist", "stylist",
           "inspiration", "order_updates", "feedback")
FLAG_ID = "concierge.realEndpointsEnabled"
BURST = 8  # simultaneous duplicate holds


def instant(value) -> datetime | None:
    """Return an API timestamp or a stored datetime as an aware UTC datetime (ms)."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    if not isinstance(value, datetime):
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).replace(microsecond=value.microsecond // 1000 * 1000)


def iso_z(value) -> bool:
    """Tell whether a value is an ISO 8601 UTC string ending in Z."""
    return isinstance(value, str) and value.endswith("Z") and instant(value) is not None


def guarded_by(row: Row, db, name: str) -> None:
    """Check that a declared unique index carrying a rule exists as declared in the database."""
    index = next(i for i in INDEXES if i.name == name)
    info = db.indexes(index.collection).get(name) or {}
    keys = [tuple(k) for k in info.get("key", [])]
    partial = f", partial {index.partial}" if index.partial else ""
    row.check(bool(info.get("unique")) and keys == list(index.keys)
              and info.get("partialFilterExpression") == index.partial,
              f"DB {index.collection}: unique index {name} on "
              f"({', '.join(k for k, _ in index.keys)}){partial} carries the rule",
              info or "missing")


def key() -> str:
    """Return a fresh Idempotency-Key."""
    return f"verify-{secrets.token_urlsafe(18)}"


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
    row.check(by_category.status == 200 and all(
        i.get("category") == category for i in by_category.get("items") or []),
        f"category={category} → {by_category.get('total')} products, all in it",
        by_category.summary())
    word = next((w for w in re.findall(r"[A-Za-z]{3,}", first["name"])), first["name"])
    search = c.get("/products", params={"q": word.upper(), "pageSize": 50})
    found = [i["sku"] for i in search.get("items") or []]
    row.check(search.status == 200 and (first["sku"] in found or search.get("total", 0) > 50),
              f"q={word.upper()} (case-insensitive) → {search.get('total')} hits incl. "
              f"{first['sku']}", search.summary())
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
    row.figures.update(total=total, category=category, searchWord=word)


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


def capsule_holds(ctx: Context, row: Row) -> None:
    """Hold a capsule, hit the duplicate-hold rule, read and release the hold."""
    c = ctx.client
    listing = c.get("/capsules")
    row.require(listing.status == 200, "GET /capsules → 200", listing.summary())
    capsules = {i.get("capsuleId"): i for i in listing.get("items") or []}
    row.check(len(capsules) >= 3 and "capsule-weekend-edit" in capsules,
              f"{len(capsules)} capsules incl. capsule-weekend-edit", list(capsules))
    chosen = capsules.get("capsule-weekend-edit")
    if not chosen or not chosen.get("available"):
        chosen = next((i for i in capsules.values() if i.get("available")), None)
    row.require(chosen is not None, "a capsule has a place available")
    capsule_id, email = chosen["capsuleId"], ctx.email("hold")
    hold = c.post("/capsule-holds", json={"capsuleId": capsule_id, "email": email})
    row.require(hold.status == 201 and hold.get("status") == "active",
                f"POST /capsule-holds {capsule_id} → 201 active", hold.summary())
    ctx.expect_event(hold, "Capsule holds", "aurora_capsule_held")
    hold_id = hold.get("holdId")
    created, expires = instant(hold.get("createdAt")), instant(hold.get("expiresAt"))
    hours = chosen.get("holdHours")
    row.check(created and expires and expires - created == timedelta(hours=hours),
              f"expiresAt = createdAt + {hours} h ({hold.get('expiresAt')})",
              (hold.get("createdAt"), hold.get("expiresAt")))
    again = c.post("/capsule-holds", json={"capsuleId": capsule_id,
                                           "email": f"  {email.upper()} "})
    existing = again.get("hold") or {}
    # The hold's id is its bearer secret, so the 409 may leave it out; the rest must match.
    row.check(again.status == 409 and again.code == "duplicate_hold"
              and existing.get("holdId", hold_id) == hold_id
              and existing.get("capsuleId") == capsule_id
              and instant(existing.get("expiresAt")) == expires,
              "same email again (other case/spaces) → 409 duplicate_hold carrying the hold "
              "(capsule, expiresAt)", (again.summary(), existing))
    after = {i.get("capsuleId"): i for i in c.get("/capsules").get("items") or []}
    row.check(after.get(capsule_id, {}).get("available") == chosen["available"] - 1,
              f"available {chosen['available']} → {chosen['available'] - 1}",
              after.get(capsule_id, {}).get("available"))
    read = c.get(f"/capsule-holds/{hold_id}")
    row.check(read.status == 200 and read.get("status") == "active",
              "GET /capsule-holds/<holdId> → active", read.summary())
    db = ctx.db(row)
    if db is not None:
        stored = db.find("capsuleHolds", {"holdId": hold_id})
        row.check(len(stored) == 1 and stored[0].get("status") == "active"
                  and instant(stored[0].get("expiresAt")) == expires,
                  "DB capsuleHolds: the hold, active, same expiresAt", stored)
        active = db.count("capsuleHolds", {"capsuleId": capsule_id, "email": email,
                                           "status": "active"})
        row.check(active == 1, "DB capsuleHolds: 1 active hold for this email", active)
        guarded_by(row, db, "one_active_hold_per_email")
        guarded_by(row, db, "one_active_hold_per_slot")
    _concurrent_duplicates(ctx, row, capsule_id, db)
    released = c.delete(f"/capsule-holds/{hold_id}")
    row.check(released.status == 200 and released.get("status") == "released",
              "DELETE → 200 released (place given back)", released.summary())
    if db is not None:
        stored = db.find_one("capsuleHolds", {"holdId": hold_id})
        row.check(bool(stored) and stored.get("status") == "released",
                  "DB capsuleHolds: status released", stored and stored.get("status"))


def _concurrent_duplicates(ctx: Context, row: Row, capsule_id: str, db) -> None:
    """Race BURST holds for one new email: the unique index must let exactly one through."""
    email = ctx.email("race")
    barrier = threading.Barrier(BURST)

    def attempt(_):
        barrier.wait()
        return ctx.client.post("/capsule-holds", json={"capsuleId": capsule_id,
                                                       "email": email}, log=False)

    with ThreadPoolExecutor(BURST) as pool:
        answers = list(pool.map(attempt, range(BURST)))
    created = [a for a in answers if a.status == 201]
    duplicates = [a for a in answers if a.code == "duplicate_hold"]
    row.check(len(created) == 1 and len(duplicates) == BURST - 1,
              f"{BURST} simultaneous holds for one new email → one 201, "
              f"{BURST - 1} times 409 duplicate_hold", sorted(a.status for a in answers))
    if db is not None:
        active = db.count("capsuleHolds", {"capsuleId": capsule_id, "email": email,
                                           "status": "active"})
        row.check(active == 1, "DB capsuleHolds: 1 active hold after the race", active)
    for answer in created:  # give the places back
        ctx.client.delete(f"/capsule-holds/{answer.get('holdId')}")


def _skus_of(document: dict) -> list:
    if isinstance(document.get("skus"), list):
        return document["skus"]
    return [i.get("sku") for i in document.get("items") or [] if isinstance(i, dict)]


def shortlists(ctx: Context, row: Row) -> None:
    """Save a shortlist, read it back, replace it; the widgetShortlists document follows."""
    c = ctx.client
    skus = ctx.state.get("skus") or []
    row.require(len(skus) >= 3, "three skus from the products row")
    a, b, d = skus[:3]
    created = c.post("/shortlists", json={"skus": [a, b, a]})
    row.require(created.status == 201 and created.get("shortlistId"),
                "POST /shortlists → 201 with shortlistId", created.summary())
    ctx.expect_event(created, "Shortlist persistence")
    sid = created.get("shortlistId")
    ctx.state["shortlistId"] = sid
    listed = [i.get("sku") for i in created.get("items") or []]
    row.check(listed == [a, b], "duplicates dropped, order kept", listed)
    read = c.get(f"/shortlists/{sid}")
    row.check(read.status == 200 and [i.get("sku") for i in read.get("items") or []] == [a, b],
              "GET /shortlists/<id> → 200, same items", read.summary())
    replaced = c.put(f"/shortlists/{sid}", json={"skus": [d, a]})
    row.check(replaced.status == 200, "PUT replaces the list → 200", replaced.summary())
    reread = c.get(f"/shortlists/{sid}")
    row.check([i.get("sku") for i in reread.get("items") or []] == [d, a],
              "GET after PUT → the new list", reread.summary())
    bad = c.post("/shortlists", json={"skus": ["VERIFY-NO-SUCH-SKU"]})
    row.check(bad.status == 422, "unknown sku → 422", bad.summary())
    missing = c.get(f"/shortlists/{secrets.token_urlsafe(22)}")
    row.check(missing.status == 404 and missing.code == "shortlist_not_found",
              "unknown id → 404 shortlist_not_found", missing.summary())
    db = ctx.db(row)
    if db is None:
        return
    stored = db.find("widgetShortlists", {"shortlistId": sid})
    row.check(len(stored) == 1 and _skus_of(stored[0]) == [d, a],
              "DB widgetShortlists: one document with the replaced skus",
              stored and _skus_of(stored[0]))


def stylist_tickets(ctx: Context, row: Row) -> None:
    """Open a stylist ticket (phone contact, idempotent) and find its document."""
    c = ctx.client
    when = (datetime.now(UTC) + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    body = {"name": "Verify Run", "email": ctx.email("stylist"), "topic": "fit",
            "message": "Which size of the wool coat suits a 100 cm chest?",
            "preferredContact": "phone", "phone": "+14155550123", "preferredTime": when}
    if ctx.state.get("shortlistId"):
        body["shortlistId"] = ctx.state["shortlistId"]
    idem = key()
    ticket = c.post("/stylist-tickets", json=body, headers={"Idempotency-Key": idem})
    row.require(ticket.status == 201 and str(ticket.get("ticketNumber", "")).startswith("ST-")
                and ticket.get("status") == "open",
                "POST /stylist-tickets → 201 ST-…, open", ticket.summary())
    ctx.expect_event(ticket, "Stylist tickets")
    number = ticket.get("ticketNumber")
    replay = c.post("/stylist-tickets", json=body, headers={"Idempotency-Key": idem})
    row.check(replay.status == 201 and replay.get("ticketNumber") == number
              and replay.headers.get("Idempotent-Replayed") == "true",
              "same key again → same ticket, Idempotent-Replayed: true", replay.summary())
    no_phone = c.post("/stylist-tickets", json={k: v for k, v in body.items() if k != "phone"})
    row.check(no_phone.status == 422 and no_phone.code == "validation_error",
              "preferredContact phone without phone → 422", no_phone.summary())
    row.figures["ticketNumber"] = number
    db = ctx.db(row)
    if db is None:
        return
    stored = db.find("stylistTickets", {"ticketNumber": number})
    row.check(len(stored) == 1 and stored[0].get("email") == body["email"]
              and stored[0].get("topic") == "fit",
              f"DB stylistTickets: exactly 1 document {number}, email and topic stored",
              len(stored))
