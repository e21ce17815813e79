"""Capsule places cannot be hoarded: active holds are capped per client address and session."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

URL = "/api/concierge/capsule-holds"
EVENING = "capsule-evening-atelier"  # twelve places


@pytest.fixture
def config(config):
    """The caps as shipped (the other capsule tests lift them)."""
    return {key: value for key, value in config.items() if not key.startswith("HOLDS_")}


def hold(client, n: int, address: str = "203.0.113.7", session: str | None = None):
    headers = {"X-Concierge-Session": session} if session else {}
    return client.post(URL, json={"capsuleId": EVENING, "email": f"throwaway{n}@example.com"},
                       headers=headers, environ_base={"REMOTE_ADDR": address})


def test_throwaway_addresses_from_one_client_hold_five_places_at_most(client, db):
    answers = [hold(client, n) for n in range(18)]
    assert [a.status_code for a in answers] == [201] * 5 + [429] * 13
    refused = answers[-1].get_json()
    assert refused["code"] == "too_many_holds"
    # The first of its holds ends in 72 hours: that is when to come back.
    assert 71 * 3600 < int(answers[-1].headers["Retry-After"]) <= 72 * 3600
    assert db.capsuleHolds.count_documents({"capsuleId": EVENING, "status": "active"}) == 5
    assert hold(client, 99, address="198.51.100.1").status_code == 201  # others still can


def test_one_session_holds_three_places_at_most_whatever_its_addresses(client, session_id):
    statuses = [hold(client, n, address=f"192.0.2.{n}", session=session_id).status_code
                for n in range(5)]
    assert statuses == [201, 201, 201, 429, 429]


def test_a_released_hold_gives_its_place_in_the_cap_back(client):
    ids = [hold(client, n).get_json()["holdId"] for n in range(5)]
    assert hold(client, 5).status_code == 429
    assert client.delete(f"{URL}/{ids[0]}",
                         environ_base={"REMOTE_ADDR": "203.0.113.7"}).status_code == 200
    assert hold(client, 6).status_code == 201


def test_the_caps_are_settings():
    from concierge import create_app

    settings = {"TESTING": True, "MONGO_URI": "", "RATELIMIT_ENABLED": False,
                "LOG_LEVEL": "WARNING", "OUTBOX_WORKER": False, "HOLDS_PER_CLIENT": 2}
    client = create_app(settings).test_client()
    assert [hold(client, n).status_code for n in range(3)] == [201, 201, 429]


def test_concurrent_holds_from_one_address_never_pass_the_cap(app, db):
    barrier = threading.Barrier(12)

    def attempt(n):
        barrier.wait()
        return hold(app.test_client(), n).status_code

    with ThreadPoolExecutor(12) as pool:
        statuses = list(pool.map(attempt, range(12)))
    active = db.capsuleHolds.count_documents({"capsuleId": EVENING, "status": "active"})
    assert active <= 5
    assert statuses.count(201) == active
    assert set(statuses) <= {201, 429}
