"""/health tells anyone whether it is up; its version and channels only to the admin token."""

import pytest

from concierge import create_app

TOKEN = "health-admin-token-0123456789abcdef"
DETAILS = {"version", "store", "mail", "webhook"}
URL = "/api/concierge/health"


@pytest.fixture
def config(config):
    return {**config, "CONCIERGE_ADMIN_TOKEN": TOKEN}


def test_anyone_gets_the_status_the_database_and_durability_and_nothing_else(client):
    body = client.get(URL).get_json()
    assert set(body) == {"status", "database", "durable"}  # durable: API.md 21, public
    assert (body["status"], body["database"]) == ("ok", "ok")


def test_the_admin_token_adds_the_version_and_what_is_configured(client):
    body = client.get(URL, headers={"Authorization": f"Bearer {TOKEN}"}).get_json()
    assert body["status"] == "ok"
    assert body["version"]
    assert (body["store"], body["mail"], body["webhook"]) == \
        ("embedded", "not_configured", "not_configured")


def test_a_wrong_token_is_refused_and_counted_with_the_other_wrong_admin_tokens(config):
    client = create_app({**config, "RATELIMIT_ENABLED": True}).test_client()
    answers = [client.get(URL, headers={"Authorization": "Bearer wrong"}).status_code
               for _ in range(11)]
    assert answers == [401] * 10 + [429]


def test_without_an_admin_token_configured_nobody_gets_details(config):
    other = create_app({**config, "CONCIERGE_ADMIN_TOKEN": ""}).test_client()
    body = other.get(URL, headers={"Authorization": "Bearer anything"}).get_json()
    assert body["status"] == "ok"
    assert not DETAILS & set(body)
