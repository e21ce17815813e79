"""Evidence rows for inspiration uploads, order updates, CSAT and analytics."""

from __future__ import annotations

import hashlib
import io
import re
import time

from PIL import ExifTags, Image

from .common import TRACKED, guarded_by, instant, iso_z
from .context import Context
from .rows import Row

EVENT_NAME = re.compile(r"^aurora_[a-z][a-z0-9_]{2,63}$")
EVENTS_WRITTEN_WITHIN = 3.0  # seconds; the app's writer flushes its queue every second
SIZE = (640, 480)


def photo() -> bytes:
    """Return a JPEG made here with EXIF camera and GPS tags (which must be stripped)."""
    image = Image.new("RGB", SIZE, (196, 120, 64))
    for x in range(0, SIZE[0], 40):  # some structure, so it is a real picture
        image.paste((40, 60, 90), (x, 0, x + 20, SIZE[1]))
    exif = Image.Exif()
    exif[0x010F] = "VerifyCam"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps.update({1: "N", 2: (40.0, 44.0, 1.0), 3: "W", 4: (73.0, 59.0, 1.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=85)
    return out.getvalue()


def _stored_image(db, upload_id: str, document: dict) -> bytes | None:
    """Reassemble the GridFS-layout image of an upload, wherever the document points."""
    ids = [document.get(name) for name in ("imageId", "fileId", "imageFileId", "gridfsId")]
    files = [f for i in ids if i is not None
             for f in db.find("inspirationImages.files", {"_id": i})]
    files = files or db.find("inspirationImages.files", {"metadata.uploadId": upload_id})
    if not files:
        return None
    chunks = db.find("inspirationImages.chunks", {"files_id": files[0]["_id"]}, limit=1000,
                     sort=[("n", 1)])
    return b"".join(bytes(chunk["data"]) for chunk in chunks) or None


def inspiration(ctx: Context, row: Row) -> None:
    """Upload a generated photo; pending_review metadata, EXIF gone, non-images refused."""
    c = ctx.client
    data = photo()
    answer = c.post("/inspiration", files={"image": ("look.jpg", data, "image/jpeg")},
                    data={"caption": "Verify run: weekend look", "consent": "true"})
    row.require(answer.status == 202 and answer.get("uploadId"),
                "POST /inspiration (generated 640x480 JPEG with EXIF GPS) → 202",
                answer.summary())
    ctx.expect_event(answer, "Inspiration uploads")
    ctx.state["upload"] = answer.body
    upload_id = answer.get("uploadId")
    row.check(answer.get("moderationStatus") == "pending_review",
              "moderationStatus pending_review", answer.get("moderationStatus"))
    row.check((answer.get("width"), answer.get("height")) == SIZE and iso_z(
        answer.get("createdAt")), f"width x height {SIZE[0]}x{SIZE[1]}, createdAt ISO UTC",
        (answer.get("width"), answer.get("height")))
    fake = c.post("/inspiration", files={"image": ("photo.png", b"GIF89a not really",
                                                   "image/png")},
                  data={"caption": "x", "consent": "true"})
    row.check(fake.status == 415 and fake.code == "unsupported_media_type",
              "bytes that are no image, named .png → 415", fake.summary())
    token = ctx.config.CONCIERGE_ADMIN_TOKEN
    if token:
        queue = c.get("/admin/inspiration", params={"status": "pending_review"},
                      headers={"Authorization": f"Bearer {token}"})
        listed = [i.get("uploadId") for i in queue.get("items") or []]
        row.check(queue.status == 200 and upload_id in listed,
                  "admin queue ?status=pending_review lists the upload", queue.summary())
        anonymous = c.get("/admin/inspiration", params={"status": "pending_review"})
        row.check(anonymous.status == 401, "admin queue without token → 401",
                  anonymous.summary())
    else:
        row.note("admin queue not checked: CONCIERGE_ADMIN_TOKEN not set for the verifier")
    db = ctx.db(row)
    if db is None:
        return
    stored = db.find("widgetInspiration", {"uploadId": upload_id})
    row.require(len(stored) == 1, "DB widgetInspiration: one document for the upload",
                len(stored))
    document = stored[0]
    ctx.state["upload_document"] = document
    row.check(document.get("moderationStatus") == "pending_review",
              "DB widgetInspiration.moderationStatus = pending_review",
              document.get("moderationStatus"))
    image = _stored_image(db, upload_id, document)
    if image is None:
        row.check(False, "stored image found in inspirationImages (GridFS layout)")
        return
    stored_image = Image.open(io.BytesIO(image))
    exif = stored_image.getexif()
    row.check(stored_image.size == SIZE and not exif.get_ifd(ExifTags.IFD.GPSInfo)
              and 0x010F not in exif,
              f"DB image re-encoded ({stored_image.format}, {len(image)} B): "
              "no EXIF camera or GPS tags", dict(exif))


def order_updates(ctx: Context, row: Row) -> None:
    """Subscribe to GG-11982 updates; a repeat never answers the id; an address that is
    not the order's own waits for its confirmation; one document each."""
    c = ctx.client
    body = {**TRACKED, "channel": "sms", "destination": _phone(ctx.run_id)}
    first = c.post("/order-subscriptions", json=body)
    row.require(first.status == 201 and first.get("subscriptionId")
                and first.get("status") == "active",
                "POST /order-subscriptions → 201 active", first.summary())
    ctx.expect_event(first, "Order updates subscription")
    sid = first.get("subscriptionId")
    again = c.post("/order-subscriptions", json=body)
    row.check(again.status == 200 and again.get("status") == "active"
              and "subscriptionId" not in (again.body or {}),
              "same order, channel, destination → 200 active, never the subscriptionId",
              again.summary())
    stranger = {**TRACKED, "channel": "email", "destination": ctx.email("updates")}
    asked = c.post("/order-subscriptions", json=stranger)
    row.check(asked.status == 202 and asked.get("status") == "pending_confirmation"
              and "subscriptionId" not in (asked.body or {}),
              "an address not the order's own → 202 pending_confirmation, no id",
              asked.summary())
    wrong = c.post("/order-subscriptions", json={**body, "email": ctx.email("stranger")})
    row.check(wrong.status == 404 and wrong.code == "order_not_found",
              "wrong email → 404 order_not_found", wrong.summary())
    bad = c.post("/order-subscriptions", json={**body, "destination": "555-0100"})
    row.check(bad.status == 422, "sms to a non-E.164 number → 422", bad.summary())
    db = ctx.db(row)
    if db is not None:
        stored = db.find("orderSubscriptions", {"orderNumber": "GG-11982", "channel": "sms",
                                                "destination": body["destination"]})
        row.check(len(stored) == 1 and stored[0].get("subscriptionId") == sid
                  and stored[0].get("status") == "active",
                  "DB orderSubscriptions: exactly 1 active document", len(stored))
        waiting = db.find("orderSubscriptions", {"destination": stranger["destination"]})
        row.check(len(waiting) == 1 and waiting[0].get("status") == "pending_confirmation",
                  "DB orderSubscriptions: the other address waits for its confirmation",
                  [w.get("status") for w in waiting])
        guarded_by(row, db, "one_subscription_per_destination")
    cancelled = c.delete(f"/order-subscriptions/{sid}")
    row.check(cancelled.status == 200 and cancelled.get("status") == "cancelled",
              "DELETE → 200 cancelled", cancelled.summary())
    if db is not None:
        stored = db.find_one("orderSubscriptions", {"subscriptionId": sid})
        row.check(bool(stored) and stored.get("status") == "cancelled",
                  "DB orderSubscriptions: status cancelled", stored and stored.get("status"))


def _phone(run_id: str) -> str:
    """Return an E.164 number unique to this run (a rerun never finds the last one's)."""
    digits = str(int(hashlib.sha256(run_id.encode()).hexdigest(), 16))[:10]
    return f"+1{digits}"


def csat(ctx: Context, row: Row) -> None:
    """Rate 1 (agent notified), rate 5 (not), re-rate; documents and the notification."""
    c = ctx.client
    low = c.post("/csat", json={"rating": 1, "intent": "order_tracking",
                                "comment": "Verify run: tracking page was confusing"})
    row.require(low.status == 201 and low.get("csatId"), "POST /csat rating 1 → 201",
                low.summary())
    ctx.expect_event(low, "CSAT capture")
    row.check(low.get("agentNotified") is True, "rating 1 → agentNotified true",
              low.get("agentNotified"))
    high = c.post("/csat", json={"rating": 5, "intent": "products"})
    row.check(high.status == 201 and high.get("agentNotified") is False,
              "rating 5 (another intent) → 201 agentNotified false", high.summary())
    rerate = c.post("/csat", json={"rating": 2, "intent": "order_tracking"})
    row.check(rerate.status == 200, "same session + intent again → 200 (answer updated)",
              rerate.summary())
    boolean = c.post("/csat", json={"rating": True})
    row.check(boolean.status == 422, "rating true (not an integer) → 422", boolean.summary())
    db = ctx.db(row)
    if db is None:
        return
    session = c.session_id
    stored = db.find("csatResponses", {"sessionId": session, "intent": "order_tracking"})
    row.check(len(stored) == 1 and stored[0].get("rating") == 2
              and stored[0].get("agentNotified") is True,
              "DB csatResponses: one document for session + intent, rating updated to 2, "
              "agentNotified true", stored)
    guarded_by(row, db, "one_answer_per_session_intent")
    notes = db.find("outbox", {"type": "csat.low_rating", "data.csatId": low.get("csatId")})
    row.check(len(notes) >= 1, f"DB outbox: {len(notes)} csat.low_rating delivery(ies) for "
              "the low score", len(notes))


def analytics(ctx: Context, row: Row) -> None:
    """Send widget events; find them and every journey's server event with ids."""
    c = ctx.client
    now = instant(ctx.started_at).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    events = [{"name": "aurora_verify_checked", "sessionId": c.session_id, "occurredAt": now,
               "props": {"run": ctx.run_id, "step": 1}},
              {"name": "not-aurora", "sessionId": c.session_id, "occurredAt": now,
               "props": {}}]
    answer = c.post("/events", json={"events": events})
    row.require(answer.status == 202, "POST /events → 202", answer.summary())
    rejected = answer.get("rejected") or []
    row.check(answer.get("accepted") == 1 and [r.get("index") for r in rejected] == [1],
              "1 accepted, the badly named one rejected (index 1)", answer.body)
    db = ctx.db(row)
    if db is None:
        return
    # POST /events stores its events before answering; the journeys' own events are
    # queued and written in batches within about a second.
    sent = db.find("analyticsEvents", {"requestId": answer.request_id})
    row.check(len(sent) == 1 and sent[0].get("name") == "aurora_verify_checked"
              and sent[0].get("sessionId") == c.session_id and sent[0].get("receivedAt"),
              "DB analyticsEvents: the widget event with sessionId, requestId, receivedAt, "
              "stored before the 202", sent)
    deadline = time.monotonic() + EVENTS_WRITTEN_WITHIN
    while (missing := _journey_events(ctx, db))[0] and time.monotonic() < deadline:
        time.sleep(0.1)
    missing, names = missing
    row.check(not missing and bool(ctx.journey_requests),
              f"DB analyticsEvents: a server-side aurora_* event with this sessionId and "
              f"the call's requestId for each of {len(ctx.journey_requests)} journey calls "
              f"({', '.join(sorted(names))})", missing)
    row.figures["serverEvents"] = sorted(names)


def _journey_events(ctx: Context, db) -> tuple[list[str], set[str]]:
    """Return the journey calls whose server-side event is not stored yet, and the names found."""
    missing, names = [], set()
    for journey in ctx.journey_requests:
        found = [e for e in db.find("analyticsEvents", {"requestId": journey["requestId"]})
                 if EVENT_NAME.match(str(e.get("name")))
                 and e.get("sessionId") == ctx.client.session_id
                 and (journey["name"] is None or e.get("name") == journey["name"])]
        names.update(e["name"] for e in found)
        if not found:
            missing.append(f"{journey['area']} ({journey['name'] or 'aurora_*'})")
    return missing, names


CERTIFICATE_COLLECTIONS = ("products", "orders", "widgetShortlists", "capsuleHolds", "returns",
                           "stylistTickets", "widgetInspiration", "csatResponses",
                           "orderSubscriptions")


def collections(ctx: Context, row: Row) -> None:
    """The certificate's nine collections hold documents after the journeys."""
    db = ctx.db(row)
    if db is None:
        return
    counts = {name: db.count(name, {}) for name in CERTIFICATE_COLLECTIONS}
    row.figures["documents"] = counts
    empty = [name for name, count in counts.items() if not count]
    row.check(not empty, "DB: " + ", ".join(f"{n} {c}" for n, c in counts.items()), empty)
