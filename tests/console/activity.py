"""Shopper activity sent through the real API, so the console has something to show."""

from __future__ import annotations

import io
import secrets
from datetime import UTC, datetime

from PIL import Image

TOKEN = "console-admin-token-" + "k" * 24
RETURN_ORDER = {"orderNumber": "GG-10457", "email": "jordan.lee@example.com"}


def picture(left=(200, 40, 90), right=(40, 90, 200)) -> bytes:
    """Return a small PNG of two colours, easy to tell apart in a screenshot."""
    image = Image.new("RGB", (120, 90), left)
    image.paste(right, (60, 0, 120, 90))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def run(send) -> dict:
    """Play four widget sessions through `send(method, path, **requests-style kwargs)`.

    Returns the records made: an RMA, two stylist tickets and an upload (a second one
    stays in the moderation queue).
    """
    sessions = [secrets.token_urlsafe(18) for _ in range(4)]
    at = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    for sid in sessions:
        send("POST", "/events", json={"events": [
            {"name": "aurora_widget_opened", "sessionId": sid, "occurredAt": at}]})
    headers = [{"X-Concierge-Session": sid} for sid in sessions]
    send("POST", "/orders/lookup", headers=headers[0],
         json={"orderNumber": "GG-11982", "email": "avery.stone@example.com"})
    send("POST", "/orders/lookup", headers=headers[1],
         json={"orderNumber": "GG-11982", "postalCode": "10001"})
    rma = send("POST", "/returns", headers={**headers[1], "Idempotency-Key": sessions[1]},
               json={**RETURN_ORDER, "items": [
                   {"sku": "AUR-TP-0001", "quantity": 1, "reason": "too_small"}]})
    tickets = [send("POST", "/stylist-tickets", headers=h, json={
        "name": name, "email": "avery.stone@example.com", "topic": "occasion",
        "message": "A blazer for a summer wedding?"})
        for h, name in ((headers[2], "Avery Stone"), (headers[3], "Jordan Lee"))]
    upload = send("POST", "/inspiration", headers=headers[2],
                  files={"image": ("look.png", picture(), "image/png")},
                  data={"caption": "Red and blue summer look", "consent": "true"})
    send("POST", "/inspiration", headers=headers[3],
         files={"image": ("linen.png", picture((60, 140, 90), (235, 225, 200)), "image/png")},
         data={"caption": "Green linen for the weekend", "consent": "true"})
    for h, rating in zip(headers[:3], (5, 4, 2), strict=True):
        send("POST", "/csat", headers=h, json={"rating": rating, "intent": "order_tracking"})
    return {"rma": rma["rmaNumber"], "tickets": [t["ticketNumber"] for t in tickets],
            "conversations": [t["conversationId"] for t in tickets],
            "upload": upload["uploadId"], "sessions": sessions}
