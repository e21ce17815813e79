"""Conversations: rate limits per client, the feature flag, the OpenAPI document."""

import pytest

from concierge.flags import set_flag

from .conftest import URL, bearer, body


@pytest.fixture
def config(config):
    return {**config, "RATELIMIT_ENABLED": True, "WRITE_LIMIT_PER_CLIENT": "2/minute"}


def test_writes_over_the_limit_are_rate_limited_like_other_writes(client):
    first = client.post(URL, json=body()).get_json()
    more = client.post(f"{URL}/{first['conversationId']}/messages", json={"body": "a"},
                       headers=bearer(first["token"]))
    again = client.post(URL, json=body())
    assert (more.status_code, again.status_code) == (201, 429)
    assert again.get_json()["code"] == "rate_limited"
    assert int(again.headers["Retry-After"]) > 0


def test_a_session_outside_the_flag_gets_concierge_disabled(client, db, session_headers):
    set_flag(db, False, 0)
    response = client.post(URL, json=body(), headers=session_headers)
    assert response.status_code == 503
    assert response.get_json()["code"] == "concierge_disabled"
    assert db.conversations.count_documents({}) == 0


def test_openapi_documents_every_operation_from_the_schemas(spec):
    create = spec["paths"][URL]["post"]
    assert create["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ConversationIn"}
    assert {"201", "415", "422", "429"} <= set(create["responses"])
    thread = spec["paths"][URL + "/{conversation_id}"]["get"]
    assert thread["responses"]["404"]["x-codes"] == ["conversation_not_found"]
    assert any(p["name"] == "Authorization" for p in thread["parameters"])
    assert "401" not in thread["responses"]  # a wrong token is a 404, never a 401
    message = spec["paths"][URL + "/{conversation_id}/messages"]["post"]
    assert message["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/MessageIn"}
    props = spec["components"]["schemas"]["MessageIn"]["properties"]["body"]
    assert "4000" in props["pattern"] or "3998" in props["pattern"]
    assert "from" in spec["components"]["schemas"]["Message"]["properties"]
