"""Queueing: one webhook delivery per event, one email delivery per shopper."""

from datetime import timedelta

import pytest
from standardwebhooks.webhooks import Webhook

from concierge import outbox
from concierge.outbox import worker
from concierge.schemas import iso_z

from ..support import subscribing
from .conftest import SECRET, enqueue_order_update, subscribe_and_ship


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
    assert mail["_id"] == f"{first}.1"  # numbered after its event
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
    subscribed = [{"subscriptionId": subscribing.subscribe(client, db, destination,
                                                           channel=channel)}
                  for channel, destination in (
                      ("email", "a@example.com"), ("email", "b@example.com"),
                      ("email", "gone@example.com"), ("sms", "+14155550123"))]
    db.outbox.delete_many({"type": "order_subscription.confirm"})
    client.delete(f"{url}/{subscribed[2]['subscriptionId']}")
    with app.app_context():
        message_id = enqueue_order_update(db, {
            "orderNumber": "GG-11982", "status": "shipped", "at": "2030-01-01T00:00:00Z",
            "description": "Left the warehouse"})
    webhook = db.outbox.find_one({"_id": message_id})
    assert webhook["data"]["subscribers"] == 3
    assert webhook["data"]["smsSubscribers"] == ["+14155550123"]
    emails = list(db.outbox.find({"eventId": message_id, "channel": "email"}))
    assert sorted(e["email"]["to"] for e in emails) == ["a@example.com", "b@example.com"]
    assert sorted(e["_id"] for e in emails) == [f"{message_id}.1", f"{message_id}.2"]
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
    from concierge.orders.policy import tracking_url

    assert tracking_url(order) == link


def test_an_order_update_email_carries_the_carrier_of_its_tracking_link(app, client, db):
    message_id = subscribe_and_ship(app, client, db)
    (email,) = db.outbox.find({"eventId": message_id, "channel": "email"})
    context = email["email"]["context"]
    assert (context["carrier"], context["trackingUrl"]) == (  # seeded: UPS
        "UPS", "https://www.ups.com/track?tracknum=1Z999AA10123456784")


class TestCollapse:
    """Events folded into one summary per key, sent once when its window ends."""

    KEY = "csat.low_rating:198.51.100.7:2030-01-02T03"

    def fold(self, app, db, n: int, due, key: str = KEY) -> str:
        with app.app_context():
            return outbox.collapse(db, "csat.low_rating", key,
                                   {"csatId": f"c{n}", "rating": 1}, due)

    def deliver(self, app, db) -> dict:
        with app.app_context():
            return worker.deliver_due(app.config["CONCIERGE"], db, ["webhook"])

    def test_folded_events_go_out_as_one_signed_summary_when_due(self, app, db, hook, clock):
        first_at = clock.freeze()
        due = first_at + timedelta(minutes=30)
        ids = set()
        for n in range(3):
            ids.add(self.fold(app, db, n, due))
            clock.advance(minutes=1)
        (message_id,) = ids
        assert message_id.startswith("msg_")  # the form of every webhook-id
        assert not any(self.deliver(app, db).values())  # its window is still open
        clock.set(due)
        assert self.deliver(app, db)["delivered"] == 1
        ((headers, raw),) = hook.received
        assert headers["webhook-id"] == message_id
        assert Webhook(SECRET).verify(raw, headers) == {
            "type": "csat.low_rating", "timestamp": iso_z(first_at),  # the first event's time
            "data": {"csatId": "c2", "rating": 1, "collapsed": 3}}
        assert db.outbox.count_documents({}) == 1

    def test_another_key_is_another_summary(self, app, db, clock):
        due = clock.freeze() + timedelta(minutes=30)
        one = self.fold(app, db, 1, due)
        other = self.fold(app, db, 2, due, key=self.KEY + "-other")
        assert one != other
        assert [d["data"]["collapsed"] for d in db.outbox.find().sort("_id", 1)] == [1, 1]

    def test_a_fold_after_its_summary_went_out_is_dropped(self, app, db, hook, clock):
        due = clock.freeze() + timedelta(minutes=30)
        message_id = self.fold(app, db, 0, due)
        self.fold(app, db, 1, due)
        clock.set(due)
        assert self.deliver(app, db)["delivered"] == 1
        sent = db.outbox.find_one({"_id": message_id})
        assert self.fold(app, db, 2, due) == message_id  # a straggler of that window
        assert db.outbox.find_one({"_id": message_id}) == sent  # neither reopened nor changed
        assert db.outbox.count_documents({}) == 1
        assert not any(self.deliver(app, db).values())
        assert len(hook.received) == 1
