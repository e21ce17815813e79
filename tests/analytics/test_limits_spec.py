"""Events: rate limit and OpenAPI entry."""

import pytest

URL = "/api/concierge/events"
EVENT = {"name": "aurora_widget_opened", "sessionId": "s" * 16,
         "occurredAt": "2026-11-25T17:00:00Z"}


@pytest.fixture
def config(config):
    return {**config, "RATELIMIT_ENABLED": True, "EVENTS_LIMIT_PER_CLIENT": "2/minute"}


def test_batches_over_the_limit_are_rate_limited(client):
    codes = [client.post(URL, json={"events": [EVENT]}).status_code for _ in range(3)]
    assert codes == [202, 202, 429]


def test_openapi_documents_each_event_item(client):
    spec = client.get("/api/concierge/openapi.json").get_json()
    op = spec["paths"][URL]["post"]
    assert {"202", "422", "429"} <= set(op["responses"])
    batch = spec["components"]["schemas"]["EventBatch"]["properties"]["events"]
    assert (batch["minItems"], batch["maxItems"]) == (1, 50)
    # Each item is an Event; anything else is taken too and rejected on its own (202).
    event, other = batch["items"]["anyOf"]
    assert event == {"$ref": "#/components/schemas/Event"}
    assert set(other) == {"description"}
    assert spec["components"]["schemas"]["Event"]["properties"]["name"]["pattern"]
