"""Request ids, the session header, security headers and JSON logs."""

import io
import json
import logging

import pytest

from concierge import create_app

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


def test_api_responses_are_not_cached_and_not_sniffed(client):
    response = client.get(HEALTH)
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]


def test_logs_are_json_lines_carrying_the_request_id(client):
    logger = logging.getLogger("concierge")
    logger.setLevel(logging.INFO)
    stream = io.StringIO()
    previous = logger.handlers[0].setStream(stream)
    try:
        client.get(HEALTH, headers={"X-Request-ID": "log-line-test-1"})
    finally:
        logger.handlers[0].setStream(previous)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    access = [entry for entry in lines if entry["logger"] == "concierge.access"]
    assert access[-1]["requestId"] == "log-line-test-1"
    assert access[-1]["status"] == 200
    assert access[-1]["path"] == HEALTH


def test_generated_request_ids_are_distinct_and_well_formed(client):
    ids = {client.get(HEALTH).headers["X-Request-ID"] for _ in range(200)}
    assert len(ids) == 200
    assert all(len(i) == 24 and int(i, 16) >= 0 for i in ids)


def test_the_json_body_is_parsed_once_for_the_limits_and_the_view(config, monkeypatch):
    client = create_app({**config, "RATELIMIT_ENABLED": True,
                         "ORDER_LOOKUP_LIMIT_PER_CLIENT_ORDER": "1/minute"}).test_client()
    parsed = []
    real_loads = json.loads
    monkeypatch.setattr("concierge.api.json.loads",
                        lambda raw: parsed.append(raw) or real_loads(raw))
    wrong = {"orderNumber": "GG-11982", "email": "wrong@example.com"}
    assert client.post("/api/concierge/orders/lookup", json=wrong).status_code == 404
    assert len(parsed) == 1  # the order-guess limits' keys and the schema share one parse
    assert client.post("/api/concierge/orders/lookup", json=wrong).status_code == 429
