"""Order subscriptions: rate limit, feature flag, OpenAPI entries."""

import pytest

from concierge.flags import set_flag

URL = "/api/concierge/order-subscriptions"
BODY = {"orderNumber": "GG-11982", "postalCode": "10001", "channel": "sms",
        "destination": "+14155550123"}


@pytest.fixture
def config(config):
    return {**config, "RATELIMIT_ENABLED": True, "WRITE_LIMIT_PER_CLIENT": "2/minute"}


def test_writes_share_one_per_client_budget(client):
    answers = [client.post(URL, json=BODY).status_code, client.delete(f"{URL}/nope").status_code]
    assert answers == [201, 404]
    assert client.post(URL, json=BODY).status_code == 429
    assert client.delete(f"{URL}/nope").status_code == 429


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
