"""A walk through every journey: each event signed to the webhook, each shopper email sent."""

from __future__ import annotations

import io
import json

import pytest
from standardwebhooks.webhooks import Webhook
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from ..console.activity import TOKEN
from ..console.conftest import Staff
from ..inspiration.fakes import picture
from .conftest import SECRET
from .servers import wait_for

API = "/api/concierge"
KEY = "walk-merchant-key-0123456789abcdef"
# Exactly the data section 17 names for each type (optional fields when given);
# order.updated also carries the merchant event's id and location and the order's status;
# stylist_ticket.created its conversation's id (API.md 27: a ticket is a conversation).
DATA_KEYS = {
    "return.requested": {"rmaNumber", "orderNumber", "items", "createdAt"},
    "stylist_ticket.created": {"ticketNumber", "topic", "name", "email", "preferredContact",
                               "phone", "preferredTime", "message", "conversationId"},
    "csat.low_rating": {"csatId", "rating", "intent", "comment", "sessionHash"},
    "inspiration.submitted": {"uploadId", "caption", "scanStatus", "width", "height"},
    "capsule_hold.created": {"capsuleId", "expiresAt"},
    "order.updated": {"orderNumber", "status", "at", "description", "subscribers",
                      "smsSubscribers", "eventId", "location", "orderStatus"},
    "return.status_changed": {"rmaNumber", "status"},
}


@pytest.fixture
def config(config):
    return {**config, "CONCIERGE_MERCHANT_KEY": KEY, "CONCIERGE_ADMIN_TOKEN": TOKEN}


def walk(client, db, session_headers) -> dict:
    """Do every journey that makes an event; return what the shopper was answered."""
    answers = {}
    answers["return"] = client.post(f"{API}/returns", headers={"Idempotency-Key": "walk-0001"},
                                    json={"orderNumber": "GG-10457",
                                          "email": "jordan.lee@example.com",
                                          "items": [{"sku": "AUR-TP-0001", "quantity": 1,
                                                     "reason": "too_small"}]}).get_json()
    answers["ticket"] = client.post(f"{API}/stylist-tickets", json={
        "name": "Avery", "email": "avery.stone@example.com", "topic": "occasion",
        "message": "A dress for a June wedding", "preferredContact": "phone",
        "phone": "+14155550123", "preferredTime": "2031-06-01T15:00:00Z"}).get_json()
    answers["csat"] = client.post(f"{API}/csat", headers=session_headers, json={
        "rating": 1, "intent": "returns", "comment": "Too slow"}).get_json()
    boundary, body = encode_multipart({
        "image": FileStorage(io.BytesIO(picture()), "look.png", content_type="image/png"),
        "consent": "true", "caption": "Linen for the coast"})
    answers["upload"] = client.post(f"{API}/inspiration", data=body,
                                    content_type=f"multipart/form-data; boundary={boundary}"
                                    ).get_json()
    answers["hold"] = client.post(f"{API}/capsule-holds", json={
        "capsuleId": "capsule-weekend-edit", "email": "casey.morgan@example.com"}).get_json()
    for channel, destination in (("email", "avery.stone@example.com"),  # the order's own
                                 ("sms", "+14155550199")):
        client.post(f"{API}/order-subscriptions", json={
            "orderNumber": "GG-11982", "email": "avery.stone@example.com",
            "channel": channel, "destination": destination})
    answers["order_event"] = client.post(
        f"{API}/merchant/orders/GG-11982/events", headers={"Authorization": f"Bearer {KEY}"},
        json={"eventId": "walk-event-1", "status": "out_for_delivery",
              "at": "2030-01-02T08:00:00Z", "description": "With the driver since 8:00"})
    staff = Staff(client)
    assert staff.sign_in().status_code == 303
    answers["return_move"] = staff.post(
        f"/console/returns/{answers['return']['rmaNumber']}/status", to="approved")
    return answers


def test_every_journey_reaches_the_webhook_signed_and_the_shopper_by_email(
        client, db, hook, mail, session_headers):
    answers = walk(client, db, session_headers)
    assert answers["order_event"].status_code == 201
    assert answers["return_move"].status_code in (200, 303)
    wait_for(lambda: len(hook.received) == len(DATA_KEYS) and len(mail.messages) == 5)
    verifier = Webhook(SECRET)
    events = {}
    for headers, raw in hook.received:
        event = verifier.verify(raw, headers)  # raises unless the signature is right
        assert headers["webhook-id"].startswith("msg_")
        events[event["type"]] = event
    assert set(events) == set(DATA_KEYS)
    for kind, event in events.items():
        assert set(event["data"]) == DATA_KEYS[kind], kind
        assert event["timestamp"].endswith("Z")
    hold_id = answers["hold"]["holdId"]
    assert all(hold_id not in raw.decode() for _, raw in hook.received)
    assert events["capsule_hold.created"]["data"]["capsuleId"] == "capsule-weekend-edit"
    assert events["return.requested"]["data"]["rmaNumber"] == answers["return"]["rmaNumber"]
    assert events["stylist_ticket.created"]["data"]["ticketNumber"] == \
        answers["ticket"]["ticketNumber"]
    assert events["csat.low_rating"]["data"]["csatId"] == answers["csat"]["csatId"]
    assert events["inspiration.submitted"]["data"]["uploadId"] == answers["upload"]["uploadId"]
    update = events["order.updated"]["data"]
    assert (update["subscribers"], update["smsSubscribers"]) == (2, ["+14155550199"])

    by_subject = {m["Subject"]: m for m in mail.messages}
    rma, ticket = answers["return"]["rmaNumber"], answers["ticket"]["ticketNumber"]
    assert set(by_subject) == {f"Return {rma} for order GG-10457", f"Return {rma}: approved",
                               f"We received your request {ticket}",
                               "Your hold on The Weekend Edit",
                               "Order GG-11982: out for delivery"}
    for message in mail.messages:
        assert message["From"] == "Aurora <shop@aurora.test>"
        assert message.get_body(("plain",)) is not None
        assert message.get_body(("html",)) is not None
    hold_mail = by_subject["Your hold on The Weekend Edit"]
    assert hold_mail["To"] == "casey.morgan@example.com"
    assert f"https://concierge.aurora.test/holds/{hold_id}" in \
        hold_mail.get_body(("plain",)).get_content()
    confirmation = by_subject[f"Return {rma} for order GG-10457"].get_body(("plain",))
    assert "Next steps" in confirmation.get_content()
    assert "1 x Poplin Shirt (AUR-TP-0001)" in confirmation.get_content()  # name from the order
    assert json.dumps(events["capsule_hold.created"]).count("expiresAt") == 1
