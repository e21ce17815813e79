"""Shared request parsing: JSON depth, repeated query parameters, request schemas only."""

from __future__ import annotations

import json

import pytest
from marshmallow import Schema, fields

from concierge import api, create_app
from concierge.api import MAX_JSON_DEPTH

API = "/api/concierge"


def nested(depth: int, leaf: str = "1") -> str:
    return "[" * depth + leaf + "]" * depth


@pytest.mark.parametrize("body", [
    nested(10_000),
    '{"rating": 3, "comment": ' + nested(MAX_JSON_DEPTH) + "}",
    '{"a":' * 5000 + "1" + "}" * 5000,
    nested(100_000),
], ids=["10k-arrays", "just-over-the-limit", "5k-objects", "100k-arrays"])
def test_deeply_nested_json_is_400_malformed_json(client, session_headers, body):
    response = client.post(f"{API}/csat", data=body, content_type="application/json",
                           headers=session_headers)
    assert response.status_code == 400
    assert response.get_json()["code"] == "malformed_json"


def test_nesting_within_the_limit_reaches_validation(client, session_headers):
    body = '{"rating": 3, "comment": ' + nested(MAX_JSON_DEPTH - 1) + "}"
    response = client.post(f"{API}/csat", data=body, content_type="application/json",
                           headers=session_headers)
    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == ["comment"]


def test_deeply_nested_events_batch_is_400(client):
    response = client.post(f"{API}/events", data='{"events": ' + nested(5000) + "}",
                           content_type="application/json")
    assert response.status_code == 400


@pytest.mark.parametrize("query", ["page=1&page=2", "q=dress&q=skirt", "sort=newest&sort=newest",
                                   "inStock=true&inStock=false&pageSize=2"])
def test_a_scalar_query_parameter_given_twice_is_422(client, query):
    response = client.get(f"{API}/products?{query}")
    assert response.status_code == 422
    problem = response.get_json()
    assert problem["code"] == "validation_error"
    assert problem["errors"] == {query.split("=")[0]: ["Give this parameter once."]}


def test_each_parameter_once_is_accepted(client):
    response = client.get(f"{API}/products?q=dress&page=1&pageSize=2")
    assert response.status_code == 200


def test_only_request_schemas_can_parse_bodies_and_queries():
    class Plain(Schema):
        note = fields.String()

    for decorator in (api.body, api.query):
        with pytest.raises(TypeError, match="RequestSchema"):
            decorator(Plain)


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
