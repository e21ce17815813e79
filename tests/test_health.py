"""Health answers ok on the embedded store and degrades fast without a database."""

import socket
import time

import pytest

from concierge import create_app


def test_health_reports_ok(client):
    response = client.get("/api/concierge/health")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"


@pytest.fixture
def unreachable_app(config):
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app = create_app({**config,
                      "MONGO_URI": f"mongodb://127.0.0.1:{port}/?directConnection=true"})
    yield app
    app.extensions["concierge_store"].close()


def test_health_is_degraded_within_three_seconds_without_database(unreachable_app):
    started = time.monotonic()
    response = unreachable_app.test_client().get("/api/concierge/health")
    assert time.monotonic() - started < 3
    assert response.status_code == 503
    assert response.get_json()["database"] == "unavailable"
    assert response.get_json()["status"] == "degraded"


def test_journey_answers_database_unavailable_within_three_seconds(unreachable_app):
    started = time.monotonic()
    response = unreachable_app.test_client().post(
        "/api/concierge/orders/lookup",
        json={"orderNumber": "GG-11982", "email": "avery.stone@example.com"})
    assert time.monotonic() - started < 3
    assert response.status_code == 503
    assert response.content_type == "application/problem+json"
    assert response.get_json()["code"] == "database_unavailable"
