"""POST /csat."""

from __future__ import annotations

import json

import pytest

from concierge.feedback.service import session_hash

URL = "/api/concierge/csat"


def test_answer_is_recorded(client, db, session_headers, session_id):
    response = client.post(URL, json={"rating": 4, "intent": "returns", "comment": " Quick ",
                                      "reference": "RMA-1"}, headers=session_headers)
    assert response.status_code == 201
    body = response.get_json()
    assert (body["rating"], body["agentNotified"], body["intent"]) == (4, False, "returns")
    stored = db.csatResponses.find_one({"csatId": body["csatId"]})
    assert (stored["sessionId"], stored["comment"]) == (session_id, "Quick")
    assert db.outbox.count_documents({}) == 0
    event = db.analyticsEvents.find_one({"name": "aurora_csat_submitted"})
    assert (event["sessionId"], event["requestId"]) == (session_id,
                                                        response.headers["X-Request-ID"])
    assert event["props"]["rating"] == 4


def test_same_session_and_intent_again_updates_the_answer(client, db, session_headers):
    first = client.post(URL, json={"rating": 5, "intent": "capsules"}, headers=session_headers)
    again = client.post(URL, json={"rating": 3, "intent": "capsules"}, headers=session_headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json()["csatId"] == first.get_json()["csatId"]
    assert again.get_json()["rating"] == 3
    assert db.csatResponses.count_documents({}) == 1


def test_other_intent_or_no_intent_is_another_answer(client, db, session_headers):
    ids = {client.post(URL, json=body, headers=session_headers).get_json()["csatId"]
           for body in ({"rating": 5, "intent": "returns"}, {"rating": 5},
                        {"rating": 4})}
    assert len(ids) == 2
    assert sorted(d["intent"] for d in db.csatResponses.find()) == ["general", "returns"]


def test_other_session_is_another_answer(client, db, session_headers):
    client.post(URL, json={"rating": 5}, headers=session_headers)
    client.post(URL, json={"rating": 5}, headers={"X-Concierge-Session": "x" * 20})
    assert db.csatResponses.count_documents({}) == 2


@pytest.mark.parametrize("rating", [1, 2])
def test_low_rating_queues_an_agent_notification(client, db, session_headers, rating):
    response = client.post(URL, json={"rating": rating, "intent": "order_tracking",
                                      "comment": "Parcel lost"}, headers=session_headers)
    assert response.get_json()["agentNotified"] is True
    note = db.outbox.find_one({"type": "csat.low_rating"})
    assert (note["status"], note["attempts"], note["channel"]) == ("pending", 0, "webhook")
    assert note["data"] == {"csatId": response.get_json()["csatId"], "rating": rating,
                            "intent": "order_tracking", "comment": "Parcel lost",
                            "sessionHash": session_hash(session_headers["X-Concierge-Session"])}
    assert note["nextAttemptAt"] == note["createdAt"]  # due at once


@pytest.mark.parametrize("rating", ["4", 4.5, 4.0, True, 0, 6, None, [4], {"$gt": 0}])
def test_rating_must_be_an_integer_from_1_to_5(client, db, session_headers, rating):
    response = client.post(URL, json={"rating": rating}, headers=session_headers)
    assert response.status_code == 422
    assert "rating" in response.get_json()["errors"]
    assert db.csatResponses.count_documents({}) == 0


@pytest.mark.parametrize(("body", "field"), [
    ({}, "rating"), ({"rating": 3, "intent": "weather"}, "intent"),
    ({"rating": 3, "comment": "x" * 1001}, "comment"), ({"rating": 3, "x": 1}, "x")])
def test_invalid_answer_is_refused(client, session_headers, body, field):
    response = client.post(URL, json=body, headers=session_headers)
    assert response.status_code == 422
    assert field in response.get_json()["errors"]


def test_session_header_is_required(client, db):
    response = client.post(URL, json={"rating": 4})
    assert response.status_code == 422
    assert "X-Concierge-Session" in response.get_json()["errors"]
    assert db.csatResponses.count_documents({}) == 0


def test_malformed_session_header_is_refused(client):
    response = client.post(URL, json={"rating": 4}, headers={"X-Concierge-Session": "bad!"})
    assert response.status_code == 422


def test_low_ratings_of_one_client_are_capped_then_collapsed_into_one(app, client, db):
    # Fresh session ids cost nothing: the cap counts by client address.
    limit = app.config["CSAT_NOTIFY_LIMIT_PER_CLIENT"]
    answers = [client.post(URL, json={"rating": 1, "comment": f"spam {n}"},
                           headers={"X-Concierge-Session": f"fresh-session-{n:06d}"})
               for n in range(limit + 5)]
    assert all(a.status_code == 201 and a.get_json()["agentNotified"] for a in answers)
    notes = list(db.outbox.find({"type": "csat.low_rating"}).sort("createdAt", 1))
    assert len(notes) == limit + 1
    summary = notes[-1] if "collapsed" in notes[-1]["data"] else notes[0]
    assert summary["data"]["collapsed"] == 5
    assert summary["data"]["csatId"] == answers[-1].get_json()["csatId"]
    assert summary["data"]["comment"] == f"spam {limit + 4}"
    assert summary["nextAttemptAt"].minute == 0  # sent when the clock hour ends
    others = client.post(URL, json={"rating": 2},
                         environ_base={"REMOTE_ADDR": "198.51.100.7"},
                         headers={"X-Concierge-Session": "another-client-0001"})
    assert others.status_code == 201
    assert db.outbox.count_documents({"type": "csat.low_rating"}) == limit + 2


def test_a_low_rating_webhook_never_carries_the_session_id_that_could_rate_again(
        client, db, session_headers, session_id):
    client.post(URL, json={"rating": 1}, headers=session_headers)
    client.post(URL, json={"rating": 2}, headers=session_headers)  # the same session, again
    notes = list(db.outbox.find({"type": "csat.low_rating"}))
    assert len(notes) == 2
    assert all(session_id not in json.dumps(note["data"]) for note in notes)
    # The hash lets the store tell two ratings of one session apart from two sessions'.
    assert notes[0]["data"]["sessionHash"] == notes[1]["data"]["sessionHash"] != session_id
