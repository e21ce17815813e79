"""Order-update emails: headers, parts, and an RFC 8058 one-click unsubscribe that cancels."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from concierge.outbox import worker

from ..support import subscribing
from .conftest import enqueue_order_update

SUBSCRIBE = "/api/concierge/order-subscriptions"


@pytest.fixture
def config(config):
    return {**config, "OUTBOX_WORKER": False}


def subscribe(client, db, destination: str) -> str:
    return subscribing.subscribe(client, db, destination)


def order_event(app, db, status="in_transit") -> str:
    with app.app_context():
        return enqueue_order_update(db, {
            "orderNumber": "GG-11982", "status": status, "at": "2030-01-02T08:00:00Z",
            "description": "Arrived at the Newark hub <b>"})


def deliver_email(app, db) -> dict:
    with app.app_context():
        return worker.deliver_due(app.config["CONCIERGE"], db, ["email"])


def test_each_subscriber_gets_her_own_email_with_one_click_unsubscribe(app, client, db, mail):
    ids = {to: subscribe(client, db, to) for to in ("a@example.com", "b@example.com")}
    db.outbox.delete_many({"type": "order_subscription.confirm"})  # their links were used
    order_event(app, db)
    assert deliver_email(app, db)["delivered"] == 2
    by_to = {m["To"]: m for m in mail.messages}
    assert set(by_to) == set(ids)
    message = by_to["a@example.com"]
    assert message["Subject"] == "Order GG-11982: in transit"
    assert message["List-Unsubscribe"].strip() == \
        f"<https://concierge.aurora.test/unsubscribe/{ids['a@example.com']}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Message-ID"].endswith("@aurora.test>")
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Arrived at the Newark hub <b>" in plain
    assert "Arrived at the Newark hub &lt;b&gt;" in html  # escaped in HTML
    assert "https://www.ups.com/track?tracknum=1Z999AA10123456784" in plain  # seeded: UPS
    assert ids["b@example.com"] not in message.as_string()


def test_the_one_click_post_cancels_and_later_updates_skip_her(app, client, db, mail):
    subscription_id = subscribe(client, db, "a@example.com")
    db.outbox.delete_many({"type": "order_subscription.confirm"})
    order_event(app, db)
    deliver_email(app, db)
    link = mail.messages[0]["List-Unsubscribe"].strip().strip("<>")
    queued_before = order_event(app, db, "out_for_delivery")
    # What a mailbox sends for RFC 8058: a form POST of List-Unsubscribe=One-Click.
    response = client.post(urlsplit(link).path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert db.orderSubscriptions.find_one({"subscriptionId": subscription_id})["status"] == \
        "cancelled"
    assert deliver_email(app, db) == {"delivered": 0, "retrying": 0, "failed": 0,
                                      "skipped": 1}
    assert db.outbox.find_one({"eventId": queued_before, "channel": "email"})["status"] == \
        "skipped"
    order_event(app, db, "delivered")
    assert db.outbox.count_documents({"channel": "email", "status": "pending"}) == 0
    assert len(mail.messages) == 1
