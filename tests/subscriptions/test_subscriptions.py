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


def test_same_order_channel_destination_again_answers_200_without_the_id(client, db):
    first = client.post(URL, json=subscription())
    again = client.post(URL, json=subscription(
        email=None, postalCode="10001", destination=" AVERY.Stone@example.com "))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json()["status"] == "active"
    assert "subscriptionId" not in again.get_json()
    assert first.get_json()["subscriptionId"] not in again.get_data(as_text=True)
    assert db.orderSubscriptions.count_documents({}) == 1


def test_other_channel_or_destination_is_another_subscription(client, db):
    answers = [client.post(URL, json=body) for body in (
        subscription(),
        subscription(destination="someone.else@example.com"),
        subscription(channel="sms", destination="+14155550123"))]
    assert [a.status_code for a in answers] == [201, 202, 201]
    assert answers[1].get_json()["status"] == "pending_confirmation"
    assert "subscriptionId" not in answers[1].get_json()
    assert db.orderSubscriptions.count_documents({}) == 3


def test_concurrent_first_subscriptions_make_one_document(app, db):
    def post(_):
        with app.test_client() as c:
            return c.post(URL, json=subscription(channel="sms", destination="+14155550123"))

    with ThreadPoolExecutor(8) as pool:
        responses = list(pool.map(post, range(8)))
    assert sorted(r.status_code for r in responses) == [200] * 7 + [201]
    ids = [r.get_json().get("subscriptionId") for r in responses]
    assert len([i for i in ids if i]) == 1  # only the one that created it
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


def test_an_opt_out_is_never_undone_by_whoever_knows_the_order(client, db):
    subscription_id = client.post(URL, json=subscription()).get_json()["subscriptionId"]
    client.delete(f"{URL}/{subscription_id}")
    # Anyone with the order number and postal code tries to subscribe her again.
    response = client.post(URL, json=subscription(email=None, postalCode="10001"))
    assert response.status_code == 202
    body = response.get_json()
    assert body["status"] == "pending_confirmation"
    assert subscription_id not in response.get_data(as_text=True)
    stored = db.orderSubscriptions.find_one({"subscriptionId": subscription_id})
    assert stored["status"] == "pending_confirmation"
    # Only her address gets the link; no update goes out until she uses it.
    [ask] = db.outbox.find({"type": "order_subscription.confirm"})
    assert ask["email"]["to"] == "avery.stone@example.com"
    assert ask["email"]["context"]["confirmId"] == subscription_id
    assert db.outbox.count_documents({"type": "order_subscription.confirm",
                                      "channel": "webhook"}) == 0


def test_an_address_that_is_not_the_orders_own_gets_updates_only_once_it_confirms(client, db):
    response = client.post(URL, json=subscription(email=None, postalCode="10001",
                                                  destination="stranger@example.com"))
    assert response.status_code == 202
    assert "subscriptionId" not in response.get_json()
    stored = db.orderSubscriptions.find_one({"destination": "stranger@example.com"})
    assert stored["status"] == "pending_confirmation"
    page = client.get(f"/order-updates/{stored['subscriptionId']}")
    assert page.status_code == 200
    assert "Send me these updates" in page.text
    assert db.orderSubscriptions.find_one(stored)["status"] == "pending_confirmation"  # GET
    confirmed = client.post(f"/order-updates/{stored['subscriptionId']}")
    assert confirmed.status_code == 200
    assert "You get an email each time this order moves." in confirmed.text
    assert db.orderSubscriptions.find_one(
        {"subscriptionId": stored["subscriptionId"]})["status"] == "active"
    again = client.post(URL, json=subscription(destination="stranger@example.com"))
    assert (again.status_code, again.get_json()["status"]) == (200, "active")


def test_a_cancelled_sms_subscription_is_not_made_active_again(client, db):
    body = subscription(channel="sms", destination="+14155550123")
    subscription_id = client.post(URL, json=body).get_json()["subscriptionId"]
    client.delete(f"{URL}/{subscription_id}")
    response = client.post(URL, json=body)
    assert response.status_code == 409
    assert response.get_json()["code"] == "subscription_cancelled"
    assert db.orderSubscriptions.find_one()["status"] == "cancelled"


def test_an_unknown_confirmation_link_is_a_404_page(client):
    page = client.get("/order-updates/" + "x" * 22)
    assert page.status_code == 404


def test_delete_unknown_subscription_is_not_found(client):
    response = client.delete(f"{URL}/does-not-exist-0123456789")
    assert response.status_code == 404
    assert response.get_json()["code"] == "subscription_not_found"
