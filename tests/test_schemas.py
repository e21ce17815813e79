"""Every request schema refuses text that cannot be stored (lone surrogates) or hides control
characters, field by field, through the shared base RequestSchema."""

from __future__ import annotations

import copy
import io

import pytest
from marshmallow import fields

from concierge.schemas import RequestSchema

from .inspiration.fakes import picture

API = "/api/concierge"
LONE_SURROGATE = "\ud800"  # valid JSON ("\ud800"), not encodable as UTF-8
HIDDEN = ["\x00", "\x1b", "\x7f", "\x85"]
ORDER = {"orderNumber": "GG-10457", "email": "jordan.lee@example.com"}

# (path, body, field path to spoil, collection that must stay untouched)
JOURNEYS = [
    ("/orders/lookup", {"orderNumber": "GG-11982", "email": "avery.stone@example.com"},
     "email", None),
    ("/orders/lookup", {"orderNumber": "GG-11982", "postalCode": "10001"}, "postalCode", None),
    ("/orders/lookup", {"orderNumber": "GG-11982", "postalCode": "10001"}, "orderNumber", None),
    ("/returns", {**ORDER, "items": [{"sku": "AUR-TP-0001", "quantity": 1,
                                       "reason": "too_small"}], "comment": "Runs small"},
     "comment", "returns"),
    ("/returns", {**ORDER, "items": [{"sku": "AUR-TP-0001", "quantity": 1,
                                       "reason": "too_small"}]}, "items.0.sku", "returns"),
    ("/stylist-tickets", {"name": "Avery Stone", "email": "avery.stone@example.com",
                          "topic": "occasion", "message": "A blazer?"}, "message",
     "stylistTickets"),
    ("/stylist-tickets", {"name": "Avery Stone", "email": "avery.stone@example.com",
                          "topic": "occasion", "message": "A blazer?"}, "name", "stylistTickets"),
    ("/csat", {"rating": 1, "intent": "returns", "comment": "Slow"}, "comment", "csatResponses"),
    ("/csat", {"rating": 4, "reference": "RMA-1"}, "reference", "csatResponses"),
    ("/order-subscriptions", {"orderNumber": "GG-11982", "email": "avery.stone@example.com",
                              "channel": "email", "destination": "avery.stone@example.com"},
     "destination", "orderSubscriptions"),
    ("/capsule-holds", {"capsuleId": "capsule-weekend-edit", "email": "avery.stone@example.com",
                        "size": "M"}, "size", "capsuleHolds"),
    ("/shortlists", {"skus": ["AUR-KN-0006", "AUR-DR-0001"]}, "skus.1", "widgetShortlists"),
]


def spoil(body: dict, path: str, bad: str) -> dict:
    """Append a bad character to the string at a dotted path of a copy of the body."""
    body = copy.deepcopy(body)
    *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]
    target = body
    for key in parents:
        target = target[key]
    target[last] += bad
    return body


def post(client, path, body, session_headers):
    headers = {**session_headers, "Idempotency-Key": "hostile-key-0001"}
    return client.post(API + path, json=body, headers=headers)


@pytest.mark.parametrize("bad", [LONE_SURROGATE, *HIDDEN], ids=ascii)
@pytest.mark.parametrize(("path", "body", "field", "collection"), JOURNEYS,
                         ids=[f"{j[0]}:{j[2]}" for j in JOURNEYS])
def test_unstorable_or_hidden_characters_are_422_for_that_field(
        client, db, session_headers, path, body, field, collection, bad):
    assert post(client, path, body, session_headers).status_code < 300 or collection is None
    before = db[collection].count_documents({}) if collection else 0
    response = post(client, path, spoil(body, field, bad), session_headers)
    assert response.status_code == 422
    problem = response.get_json()
    assert problem["code"] == "validation_error"
    assert list(problem["errors"]) == [field]
    if collection:
        assert db[collection].count_documents({}) == before


@pytest.mark.parametrize("text", ["Tab\tand\r\nnew lines", "Crêpe, Ærø, 東京", "👗✨",
                                  "zero\u200bwidth"])
def test_ordinary_text_passes(text):
    class Note(RequestSchema):
        note = fields.String()

    assert Note().load({"note": text}) == {"note": text}


def test_bad_keys_are_named_without_the_unencodable_character():
    class Free(RequestSchema):
        extra = fields.Dict()

    errors = Free().validate({"extra": {"ok": 1, "k\ud800": 2}})
    assert errors == {"extra": {"k\\ud800": ["Contains invalid Unicode (a lone surrogate)."]}}


def test_one_bad_event_is_rejected_and_the_rest_of_the_batch_stored(client, db):
    event = {"name": "aurora_widget_opened", "sessionId": "sess_0123456789abcdef",
             "occurredAt": "2026-11-25T17:00:00.123Z", "props": {"page": "/demo"}}
    batch = [event, {**event, "props": {"page": "/demo" + LONE_SURROGATE}},
             {**event, "name": "aurora_intent_selected"}, {**event, "props": {"x\x00": 1}}]
    response = client.post(f"{API}/events", json={"events": batch})
    assert response.status_code == 202
    assert response.get_json() == {"accepted": 2, "rejected": [
        {"index": 1, "errors": {"props.page": ["Contains invalid Unicode (a lone surrogate)."]}},
        {"index": 3, "errors": {"props.x\\x00": ["Must not contain control characters."]}}]}
    assert db.analyticsEvents.count_documents({"source": "client"}) == 2


def test_control_characters_in_an_upload_caption_are_422(client, db):
    response = client.post(f"{API}/inspiration", data={
        "image": (io.BytesIO(picture()), "look.png"), "caption": "My look\x00",
        "consent": "true"}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == ["caption"]
    assert db.widgetInspiration.count_documents({}) == 0


@pytest.mark.parametrize("query", ["q=dress%00", "q=%C2%85", "category=%1B"])
def test_control_characters_in_a_query_parameter_are_422(client, query):
    response = client.get(f"{API}/products?{query}")
    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == [query.split("=")[0]]


def _nested_schemas(field):
    """Yield the schemas a field loads into (nested, in a list, or as a dict's values)."""
    for inner in (field, getattr(field, "inner", None), getattr(field, "value_field", None)):
        if isinstance(inner, fields.Nested):
            yield inner.schema


def _request_schemas():
    """Return every request schema of the app by name (the app's modules are imported)."""
    seen, todo = {}, list(RequestSchema.__subclasses__())
    while todo:
        cls = todo.pop()
        seen[cls.__name__] = cls
        todo += cls.__subclasses__()
    return seen


def test_every_schema_a_request_nests_is_a_request_schema_so_its_text_rule_is_documented(app):
    plain = sorted({f"{name}.{key} -> {type(nested).__name__}"
                    for name, cls in _request_schemas().items()
                    for key, field in cls().fields.items()
                    for nested in _nested_schemas(field)
                    if not isinstance(nested, RequestSchema)})
    assert plain == []
