"""A shopper who uses every journey, through any client: the test client or a live server."""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from PIL import Image

ADMIN_TOKEN = "privacy-admin-token-" + "p" * 24
MERCHANT_KEY = "privacy-merchant-key-0123456789abcdef"


@dataclass
class Shopper:
    """Who she is; `made` collects the identifiers of what her journeys stored."""

    name: str
    email: str
    phone: str
    order: str
    session: str = field(default_factory=lambda: secrets.token_urlsafe(18))
    made: dict = field(default_factory=dict)

    def secrets(self) -> list[str]:
        """Return every value that identifies her or her records (none may survive erasure)."""
        kept = {self.order, self.made.get("rma")}  # a return stays for the store's accounts
        values = [self.email, self.name, self.phone, self.session, *self.made.values()]
        return [v for v in values if v and v not in kept]


JORDAN = ("Jordan Lee", "jordan.lee@example.com", "+14155550123", "PV-20001")
CASEY = ("Casey Morgan", "casey.morgan@example.com", "+14155550177", "PV-20002")


def picture(colour=(200, 40, 90)) -> bytes:
    """Return a small PNG."""
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, "PNG")
    return out.getvalue()


def walk(send, shopper: Shopper) -> Shopper:
    """Play every journey for her in one widget session; `send` answers (status, json).

    `send(method, path, **kwargs)` takes requests-style arguments (json, headers,
    files, data) for a path under /api/concierge.
    """
    own = {"X-Concierge-Session": shopper.session}
    merchant = {"Authorization": f"Bearer {MERCHANT_KEY}"}
    at = datetime.now(UTC).replace(microsecond=0)
    iso = lambda t: t.isoformat().replace("+00:00", "Z")  # noqa: E731
    check = _checker(send)
    # Her order arrives from the store's platform, delivered yesterday; it moves on once.
    check(200, 201)("PUT", f"/merchant/orders/{shopper.order}", headers=merchant, json={
        "email": shopper.email.upper(), "postalCode": "75011", "status": "delivered",
        "placedAt": iso(at - timedelta(days=4)), "deliveredAt": iso(at - timedelta(days=1)),
        "items": [{"sku": "AUR-TP-0001", "name": "Poplin Shirt", "quantity": 2,
                   "price": {"amount": 9100, "currency": "USD"}}]})
    check(201)("POST", f"/merchant/orders/{shopper.order}/events", headers=merchant, json={
        "eventId": f"evt-{shopper.order}", "status": "delivered", "at": iso(at),
        "description": f"Left with {shopper.name.split()[0]}'s neighbour",
        "location": "Paris"})
    typed = f"  {shopper.email.title()} "  # as she types it: compared normalised everywhere
    check(200)("POST", "/orders/lookup", headers=own,
               json={"orderNumber": shopper.order, "email": typed})
    rma = check(201)("POST", "/returns", headers={**own, "Idempotency-Key": shopper.session},
                     json={"orderNumber": shopper.order, "email": typed, "comment":
                           f"{shopper.name} wants a smaller size",
                           "items": [{"sku": "AUR-TP-0001", "quantity": 1,
                                      "reason": "too_large"}]})
    by_email = check(201)("POST", "/order-subscriptions", headers=own, json={
        "orderNumber": shopper.order, "email": typed, "channel": "email",
        "destination": typed})
    by_sms = check(201)("POST", "/order-subscriptions", headers=own, json={
        "orderNumber": shopper.order, "postalCode": "75011", "channel": "sms",
        "destination": shopper.phone})
    hold = check(201)("POST", "/capsule-holds", headers=own,
                      json={"capsuleId": "capsule-evening-atelier", "email": typed})
    shortlist = check(201)("POST", "/shortlists", headers=own,
                           json={"skus": ["AUR-TP-0001"]})
    ticket = check(201)("POST", "/stylist-tickets", headers=own, json={
        "name": shopper.name, "email": typed, "topic": "fit", "preferredContact": "phone",
        "phone": shopper.phone, "message": f"{shopper.name} needs a hand with sizes",
        "shortlistId": shortlist["shortlistId"]})
    upload = check(202)("POST", "/inspiration", headers=own,
                        files={"image": ("look.png", picture(), "image/png")},
                        data={"caption": f"{shopper.name} on the coast", "consent": "true"})
    csat = check(201)("POST", "/csat", headers=own, json={
        "rating": 1, "intent": "returns", "comment": f"{shopper.name} waited too long"})
    alert = check(201)("POST", "/stock-alerts", headers=own,
                       json={"email": typed, "sku": "AUR-DR-0002-IVO-XL"})
    check(202)("POST", "/events", json={"events": [{
        "name": "aurora_widget_opened", "sessionId": shopper.session, "occurredAt": iso(at)}]})
    # Her order moves on once more after her subscriptions: an email waits for her.
    check(201)("POST", f"/merchant/orders/{shopper.order}/events", headers=merchant, json={
        "eventId": f"evt-{shopper.order}-2", "status": "delivered", "at": iso(at),
        "description": "Delivery confirmed"})
    shopper.made.update(rma=rma["rmaNumber"], hold=hold["holdId"],
                        shortlist=shortlist["shortlistId"], ticket=ticket["ticketNumber"],
                        upload=upload["uploadId"], csat=csat["csatId"],
                        email_subscription=by_email["subscriptionId"],
                        sms_subscription=by_sms["subscriptionId"],
                        stock_alert=alert["alertId"])
    return shopper


def _checker(send):
    def expecting(*statuses):
        def call(method, path, **kwargs):
            status, body = send(method, path, **kwargs)
            assert status in statuses, (method, path, status, body)
            return body
        return call
    return expecting


def client_sender(client):
    """Return a `send` for a Flask test client."""
    def send(method, path, files=None, data=None, **kwargs):
        if files:
            data = {**(data or {}), **{name: (io.BytesIO(content), filename, kind)
                                       for name, (filename, content, kind) in files.items()}}
        answer = client.open(f"/api/concierge{path}", method=method, data=data, **kwargs)
        return answer.status_code, answer.get_json(silent=True)
    return send


def requests_sender(base_url: str):
    """Return a `send` for a live server."""
    import requests

    def send(method, path, **kwargs):
        answer = requests.request(method, f"{base_url}/api/concierge{path}", timeout=30,
                                  **kwargs)
        try:
            return answer.status_code, answer.json()
        except ValueError:
            return answer.status_code, None
    return send
