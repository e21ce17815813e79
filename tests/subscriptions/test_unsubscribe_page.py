"""GET and POST /unsubscribe/<subscriptionId>, the page the update emails link to."""

URL = "/api/concierge/order-subscriptions"


def subscribe(client) -> str:
    """Subscribe the order's own address (active at once; the answer carries the id)."""
    response = client.post(URL, json={"orderNumber": "GG-11982", "postalCode": "10001",
                                      "channel": "email",
                                      "destination": "avery.stone@example.com"})
    return response.get_json()["subscriptionId"]


def test_get_shows_a_button_and_never_cancels(client, db):
    subscription_id = subscribe(client)
    response = client.get(f"/unsubscribe/{subscription_id}")
    assert response.status_code == 200
    assert "Stop these updates" in response.text
    assert f'action="/unsubscribe/{subscription_id}"' in response.text
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert db.orderSubscriptions.find_one()["status"] == "active"


def test_post_cancels_and_says_so_again_on_repeat(client, db):
    subscription_id = subscribe(client)
    for _ in range(2):
        response = client.post(f"/unsubscribe/{subscription_id}")
        assert response.status_code == 200
        assert "You no longer get emails about order GG-11982" in response.text
    assert db.orderSubscriptions.find_one()["status"] == "cancelled"
    event = db.analyticsEvents.find_one({"name": "aurora_order_unsubscribed"})
    assert event["props"]["source"] == "email"


def test_unknown_ids_answer_a_404_page(client):
    for path in ("/unsubscribe/" + "x" * 22, "/unsubscribe/bad!"):
        assert client.get(path).status_code == 404
        assert client.post(path).status_code == 404
