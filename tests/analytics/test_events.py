"""POST /events."""

from __future__ import annotations

import pytest

from concierge.flags import set_flag

URL = "/api/concierge/events"
SESSION = "sess_0123456789abcdef"


def event(**changes) -> dict:
    body = {"name": "aurora_widget_opened", "sessionId": SESSION,
            "occurredAt": "2026-11-25T17:00:00.123Z", "props": {"page": "/demo"}}
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


def test_valid_events_are_stored_with_request_id(client, db):
    response = client.post(URL, json={"events": [event(), event(name="aurora_intent_selected",
                                                                props={"intent": "returns"})]},
                           headers={"X-Request-ID": "req-events-0001"})
    assert response.status_code == 202
    assert response.get_json() == {"accepted": 2, "rejected": []}
    stored = list(db.analyticsEvents.find({"requestId": "req-events-0001"}))
    assert {e["name"] for e in stored} == {"aurora_widget_opened", "aurora_intent_selected"}
    assert all(e["receivedAt"] and e["sessionId"] == SESSION for e in stored)
    assert stored[0]["occurredAt"].isoformat().startswith("2026-11-25T17:00:00.123")


@pytest.mark.parametrize(("bad", "field"), [
    (event(name="widget_opened"), "name"),
    (event(name="aurora_X"), "name"),
    (event(name="aurora_" + "a" * 65), "name"),
    (event(sessionId="short"), "sessionId"),
    (event(occurredAt="yesterday"), "occurredAt"),
    (event(occurredAt=None), "occurredAt"),
    (event(props={"nested": {"a": 1}}), "props.nested"),
    (event(props={"list": [1]}), "props.list"),
    (event(props={"text": "x" * 201}), "props.text"),
    (event(props={"big": 2**64}), "props.big"),
    (event(props={"$where": 1}), "props.$where"),
    (event(props={"a.b": 1}), "props.a.b"),
    (event(props={f"k{i}": i for i in range(21)}), "props"),
    (event(props="flat"), "props"),
    (event(extra=1), "extra"),
    ("not an object", "_schema"),
])
def test_each_invalid_event_is_rejected_alone(client, db, bad, field):
    response = client.post(URL, json={"events": [event(), bad, event()]})
    assert response.status_code == 202
    body = response.get_json()
    assert body["accepted"] == 2
    assert [r["index"] for r in body["rejected"]] == [1]
    assert field in body["rejected"][0]["errors"]
    assert db.analyticsEvents.count_documents({"source": "client"}) == 2


def test_every_scalar_kind_is_accepted(client, db):
    props = {"s": "x" * 200, "i": -3, "f": 1.5, "t": True, "n": None}
    response = client.post(URL, json={"events": [event(props=props)]})
    assert response.get_json()["accepted"] == 1
    assert db.analyticsEvents.find_one({"source": "client"})["props"] == props


def test_non_finite_number_is_rejected(client):
    body = b'{"events": [{"name": "aurora_x_y", "sessionId": "%s", ' \
           b'"occurredAt": "2026-11-25T17:00:00Z", "props": {"v": NaN}}]}' % SESSION.encode()
    response = client.post(URL, data=body, content_type="application/json")
    assert response.get_json()["rejected"][0]["errors"] == {"props.v": ["Must be a finite "
                                                                        "number."]}


@pytest.mark.parametrize("body", [{"events": []}, {"events": [event()] * 51}, {"events": "x"},
                                  {}, {"events": [event()], "more": 1}])
def test_batch_outside_1_to_50_or_malformed_is_refused(client, db, body):
    response = client.post(URL, json=body)
    assert response.status_code == 422
    assert response.get_json()["code"] == "validation_error"
    assert db.analyticsEvents.count_documents({"source": "client"}) == 0


def test_fifty_events_are_accepted(client):
    response = client.post(URL, json={"events": [event()] * 50})
    assert response.get_json() == {"accepted": 50, "rejected": []}


def test_events_stay_up_when_the_flag_is_off(client, db):
    set_flag(db, False, 0)
    response = client.post(URL, json={"events": [event()]},
                           headers={"X-Concierge-Session": SESSION})
    assert response.status_code == 202


def test_form_post_is_unsupported_media_type(client):
    assert client.post(URL, data={"events": "x"}).status_code == 415
