"""CSAT: rate limit, feature flag, OpenAPI entry."""

import pytest

from concierge.flags import set_flag

URL = "/api/concierge/csat"


@pytest.fixture
def config(config):
    return {**config, "RATELIMIT_ENABLED": True, "WRITE_LIMIT_PER_CLIENT": "2/minute"}


def test_writes_over_the_limit_are_rate_limited(client, session_headers):
    codes = [client.post(URL, json={"rating": 5}, headers=session_headers).status_code
             for _ in range(3)]
    assert codes == [201, 200, 429]


def test_session_outside_the_flag_gets_concierge_disabled(client, db, session_headers):
    set_flag(db, False, 0)
    response = client.post(URL, json={"rating": 1}, headers=session_headers)
    assert response.status_code == 503
    assert db.outbox.count_documents({}) == 0


def test_openapi_documents_the_endpoint(client):
    op = client.get("/api/concierge/openapi.json").get_json()["paths"][URL]["post"]
    assert {"200", "201", "422", "429", "503"} <= set(op["responses"])
    session = next(p for p in op["parameters"] if p["name"] == "X-Concierge-Session"
                   and p.get("required"))
    assert session["in"] == "header"
