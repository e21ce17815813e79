"""Queueing: one webhook delivery per event, one email delivery per shopper."""

import pytest

from concierge import outbox


@pytest.fixture
def config(config):
    return {**config, "OUTBOX_WORKER": False}  # look at the queue before anyone delivers


def test_enqueue_stores_a_webhook_and_an_email_delivery_under_one_id(app, db):
    with app.app_context():
        first = outbox.enqueue(db, "return.requested", {"rmaNumber": "RMA-1"},
                               email_to="a@example.com", email_context={"x": 1})
        second = outbox.enqueue(db, "return.requested", {"rmaNumber": "RMA-2"})
    assert first != second
    assert first.startswith("msg_")
    webhook = db.outbox.find_one({"_id": first})
    assert (webhook["channel"], webhook["status"], webhook["attempts"]) == ("webhook",
                                                                            "pending", 0)
    assert (webhook["eventId"], webhook["data"]) == (first, {"rmaNumber": "RMA-1"})
    assert "email" not in webhook  # the shopper's address never reaches the webhook
    (mail,) = db.outbox.find({"eventId": first, "channel": "email"})
    assert mail["email"] == {"to": "a@example.com", "context": {"x": 1}}
    assert db.outbox.count_documents({"eventId": second}) == 1


def test_datetimes_in_the_data_become_iso_strings(app, db):
    from datetime import UTC, datetime

    with app.app_context():
        message_id = outbox.enqueue(db, "capsule_hold.created", {
            "capsuleId": "c", "expiresAt": datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)})
    assert db.outbox.find_one({"_id": message_id})["data"]["expiresAt"] == \
        "2030-01-02T03:04:05.000Z"


def test_order_update_emails_each_active_email_subscriber_separately(app, client, db):
    url = "/api/concierge/order-subscriptions"
    subscribed = [client.post(url, json={"orderNumber": "GG-11982", "postalCode": "10001",
                                         "channel": channel, "destination": destination})
                  .get_json() for channel, destination in (
                      ("email", "a@example.com"), ("email", "b@example.com"),
                      ("email", "gone@example.com"), ("sms", "+14155550123"))]
    client.delete(f"{url}/{subscribed[2]['subscriptionId']}")
    with app.app_context():
        message_id = outbox.enqueue(db, "order.updated", {
            "orderNumber": "GG-11982", "status": "shipped", "at": "2030-01-01T00:00:00Z",
            "description": "Left the warehouse"})
    webhook = db.outbox.find_one({"_id": message_id})
    assert webhook["data"]["subscribers"] == 3
    assert webhook["data"]["smsSubscribers"] == ["+14155550123"]
    emails = list(db.outbox.find({"eventId": message_id, "channel": "email"}))
    assert sorted(e["email"]["to"] for e in emails) == ["a@example.com", "b@example.com"]
    assert {e["email"]["context"]["subscriptionId"] for e in emails} == {
        s["subscriptionId"] for s in subscribed[:2]}
    assert "subscriptionId" not in str(webhook["data"])


def test_retry_makes_failed_deliveries_of_an_event_due_again(app, db):
    with app.app_context():
        message_id = outbox.enqueue(db, "return.requested", {"rmaNumber": "RMA-1"},
                                    email_to="a@example.com")
    db.outbox.update_many({}, {"$set": {"status": "failed"}})
    db.outbox.update_one({"_id": message_id}, {"$set": {"status": "delivered"}})
    assert outbox.retry(db, message_id) == 1  # the failed email; the delivered stays
    assert outbox.retry(db, "msg_unknown") == 0
    assert db.outbox.find_one({"channel": "email"})["status"] == "pending"
    assert db.outbox.find_one({"_id": message_id})["status"] == "delivered"


@pytest.mark.parametrize(("order", "link"), [
    ({"trackingUrl": "https://track.example/1", "carrier": "UPS", "trackingNumber": "1Z"},
     "https://track.example/1"),
    ({"carrier": "UPS", "trackingNumber": "1Z 9"}, "https://www.ups.com/track?tracknum=1Z%209"),
    ({"carrier": "Email", "trackingNumber": None}, None),
    ({"carrier": "Local courier", "trackingNumber": "42"}, None),
])
def test_tracking_link_is_the_merchants_else_the_carriers(order, link):
    from concierge.outbox.service import tracking_url

    assert tracking_url(order) == link
