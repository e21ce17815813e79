"""Order subscriptions: rate limit, feature flag, OpenAPI entries."""

import pytest

from concierge.flags import set_flag

URL = "/api/concierge/order-subscriptions"
BODY = {"orderNumber": "GG-11982", "postalCode": "10001", "channel": "sms",
        "destination": "+14155550123"}


@pytest.fixture
def config(config):
    return {**config, "RATELIMIT_ENABLED": True, "WRITE_LIMIT_PER_CLIENT": "2/minute"}


def test_subscribing_counts_as_a_write(client):
    assert [client.post(URL, json=BODY).status_code for _ in range(3)] == [201, 200, 429]


def test_unsubscribes_have_their_own_generous_budget_apart_from_writes(app, client, db):
    ids = []
    for n in range(40):  # a mailbox provider's one-click service, one address for everyone
        db.orderSubscriptions.insert_one({
            "subscriptionId": f"sub{n:04d}aaaaaaaaaaaaaaaaaaaa", "orderNumber": "GG-11982",
            "channel": "email", "destination": f"s{n}@example.com", "status": "active"})
        ids.append(f"sub{n:04d}aaaaaaaaaaaaaaaaaaaa")
    one_click = [client.post(f"/unsubscribe/{sid}").status_code for sid in ids[:30]]
    deleted = [client.delete(f"{URL}/{sid}").status_code for sid in ids[30:]]
    assert set(one_click) == set(deleted) == {200}
    assert client.post(URL, json=BODY).status_code == 201  # the writes' budget is untouched


def test_the_unsubscribe_budget_is_a_setting(config):
    from concierge import create_app

    client = create_app({**config, "UNSUBSCRIBE_LIMIT_PER_CLIENT": "3/minute"}).test_client()
    assert [client.delete(f"{URL}/nope").status_code for _ in range(4)] == [404] * 3 + [429]


def test_session_outside_the_flag_gets_concierge_disabled(client, db, session_headers):
    set_flag(db, False, 0)
    for response in (client.post(URL, json=BODY, headers=session_headers),
                     client.delete(f"{URL}/abc", headers=session_headers)):
        assert response.status_code == 503
        assert response.get_json()["code"] == "concierge_disabled"


def test_openapi_documents_both_endpoints(client):
    paths = client.get("/api/concierge/openapi.json").get_json()["paths"]
    post = paths[URL]["post"]
    assert {"200", "201", "404", "422", "429"} <= set(post["responses"])
    assert "order_not_found" in post["responses"]["404"]["description"]
    delete = paths[URL + "/{subscription_id}"]["delete"]
    assert "subscription_not_found" in delete["responses"]["404"]["description"]
