"""Evidence rows: capsule holds (with a concurrent race), shortlists, stylist tickets."""

from __future__ import annotations

import secrets
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from .common import guarded_by, instant, key
from .context import Context
from .rows import Row

BURST = 8  # simultaneous duplicate holds


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
    hold_id = ctx.state["holdId"] = hold.get("holdId")
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
