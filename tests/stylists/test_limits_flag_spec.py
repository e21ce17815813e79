"""Stylist tickets: rate limit, feature flag, OpenAPI entry."""

import pytest

from concierge.flags import set_flag

URL = "/api/concierge/stylist-tickets"
BODY = {"name": "Avery", "email": "a@example.com", "topic": "fit", "message": "Hi"}


@pytest.fixture
def config(config):
    return {**config, "RATELIMIT_ENABLED": True, "WRITE_LIMIT_PER_CLIENT": "2/minute"}


def test_writes_over_the_limit_are_rate_limited(client):
    assert [client.post(URL, json=BODY).status_code for _ in range(3)] == [201, 201, 429]
    response = client.post(URL, json=BODY)
    assert response.get_json()["code"] == "rate_limited"
    assert int(response.headers["Retry-After"]) > 0


def test_session_outside_the_flag_gets_concierge_disabled(client, db, session_headers):
    set_flag(db, False, 0)
    response = client.post(URL, json=BODY, headers=session_headers)
    assert response.status_code == 503
    assert response.get_json()["code"] == "concierge_disabled"
    assert db.stylistTickets.count_documents({}) == 0


def test_openapi_documents_the_endpoint(client):
    op = client.get("/api/concierge/openapi.json").get_json()["paths"][URL]["post"]
    assert op["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/StylistTicketIn"}
    assert {"201", "415", "422", "429", "503"} <= set(op["responses"])
    assert any(p["name"] == "Idempotency-Key" for p in op["parameters"])
