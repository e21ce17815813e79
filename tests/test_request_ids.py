"""Request ids and the session header."""

import pytest

HEALTH = "/api/concierge/health"


def test_valid_request_id_is_echoed(client):
    response = client.get(HEALTH, headers={"X-Request-ID": "abc-123_DEF.45"})
    assert response.headers["X-Request-ID"] == "abc-123_DEF.45"


@pytest.mark.parametrize("sent", ["short", "has space in it", "x" * 129, "semi;colon1"])
def test_invalid_request_id_is_replaced(client, sent):
    response = client.get(HEALTH, headers={"X-Request-ID": sent})
    assert response.headers["X-Request-ID"] != sent
    assert len(response.headers["X-Request-ID"]) == 24


def test_every_response_has_a_request_id(client):
    assert client.get("/api/concierge/missing").headers["X-Request-ID"]


@pytest.mark.parametrize("session", ["short", "has spaces in the id!", "a" * 65, "é" * 20])
def test_malformed_session_header_is_422(client, session):
    response = client.get("/api/concierge/config", headers={"X-Concierge-Session": session})
    assert response.status_code == 422
    assert "X-Concierge-Session" in response.get_json()["errors"]


def test_well_formed_session_header_is_accepted(client, session_headers):
    assert client.get("/api/concierge/config", headers=session_headers).status_code == 200


def test_generated_request_ids_are_distinct_and_well_formed(client):
    ids = {client.get(HEALTH).headers["X-Request-ID"] for _ in range(200)}
    assert len(ids) == 200
    assert all(len(i) == 24 and int(i, 16) >= 0 for i in ids)
