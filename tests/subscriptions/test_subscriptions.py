"""POST /order-subscriptions and DELETE /order-subscriptions/<id>."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

URL = "/api/concierge/order-subscriptions"


def subscription(**changes) -> dict:
    body = {"orderNumber": "GG-11982", "email": "avery.stone@example.com",
            "channel": "email", "destination": "avery.stone@example.com"}
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


def test_new_subscription_is_created(client, db, session_headers, session_id):
    response = client.post(URL, json=subscription(), headers=session_headers)
    assert response.status_code == 201
    body = response.get_json()
    assert body["status"] == "active"
    assert body["orderNumber"] == "GG-11982"
    assert body["channel"] == "email"
    assert len(body["subscriptionId"]) >= 22
    assert "destination" not in body
    stored = db.orderSubscriptions.find_one({"subscriptionId": body["subscriptionId"]})
    assert stored["destination"] == "avery.stone@example.com"
    event = db.analyticsEvents.find_one({"name": "aurora_order_subscribed"})
    assert event["sessionId"] == session_id
    assert event["requestId"] == response.headers["X-Request-ID"]
    assert event["props"]["created"] is True


def test_same_order_channel_destination_again_answers_200_with_same_id(client, db):
    first = client.post(URL, json=subscription())
    again = client.post(URL, json=subscription(
        email=None, postalCode="10001", destination=" AVERY.Stone@example.com "))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json()["subscriptionId"] == first.get_json()["subscriptionId"]
    assert db.orderSubscriptions.count_documents({}) == 1


def test_other_channel_or_destination_is_another_subscription(client, db):
    ids = {client.post(URL, json=body).get_json()["subscriptionId"] for body in (
        subscription(),
        subscription(destination="someone.else@example.com"),
        subscription(channel="sms", destination="+14155550123"))}
    assert len(ids) == 3
    assert db.orderSubscriptions.count_documents({}) == 3


def test_concurrent_first_subscriptions_make_one_document(app, db):
    def post(_):
        with app.test_client() as c:
            return c.post(URL, json=subscription(channel="sms", destination="+14155550123"))

    with ThreadPoolExecutor(8) as pool:
        responses = list(pool.map(post, range(8)))
    assert sorted(r.status_code for r in responses) == [200] * 7 + [201]
    assert len({r.get_json()["subscriptionId"] for r in responses}) == 1
    assert db.orderSubscriptions.count_documents({}) == 1


@pytest.mark.parametrize("factors", [
    {"email": "wrong@example.com"}, {"email": None, "postalCode": "99999"},
    {"orderNumber": "GG-00000"}])
def test_unknown_order_or_wrong_factor_is_order_not_found(client, db, factors):
    response = client.post(URL, json=subscription(**factors))
    assert response.status_code == 404
    assert response.get_json()["code"] == "order_not_found"
    assert db.orderSubscriptions.count_documents({}) == 0


@pytest.mark.parametrize(("changes", "field"), [
    ({"channel": "pigeon"}, "channel"),
    ({"destination": "+14155550123"}, "destination"),
    ({"channel": "sms", "destination": "avery@example.com"}, "destination"),
    ({"channel": "sms", "destination": "0044 20 7946 0958"}, "destination"),
    ({"destination": None}, "destination"),
    ({"destination": {"$ne": None}}, "destination"),
    ({"email": None}, "email"),
    ({"extra": True}, "extra"),
])
def test_invalid_subscription_is_refused(client, db, changes, field):
    response = client.post(URL, json=subscription(**changes))
    assert response.status_code == 422
    assert field in response.get_json()["errors"]
    assert db.orderSubscriptions.count_documents({}) == 0


def test_delete_cancels_and_repeat_answers_the_same(client, db):
    subscription_id = client.post(URL, json=subscription()).get_json()["subscriptionId"]
    first = client.delete(f"{URL}/{subscription_id}")
    again = client.delete(f"{URL}/{subscription_id}")
    assert first.status_code == again.status_code == 200
    assert first.get_json()["status"] == "cancelled"
    assert again.get_json() == first.get_json()
    assert db.orderSubscriptions.find_one(
        {"subscriptionId": subscription_id})["status"] == "cancelled"


def test_cancelled_subscription_resubscribed_is_active_again_with_same_id(client, db):
    subscription_id = client.post(URL, json=subscription()).get_json()["subscriptionId"]
    client.delete(f"{URL}/{subscription_id}")
    response = client.post(URL, json=subscription())
    assert response.status_code == 200
    body = response.get_json()
    assert (body["subscriptionId"], body["status"]) == (subscription_id, "active")
    assert "cancelledAt" not in body
    assert db.orderSubscriptions.count_documents({"status": "active"}) == 1


def test_delete_unknown_subscription_is_not_found(client):
    response = client.delete(f"{URL}/does-not-exist-0123456789")
    assert response.status_code == 404
    assert response.get_json()["code"] == "subscription_not_found"
