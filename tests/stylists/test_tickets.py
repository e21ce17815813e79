"""POST /stylist-tickets."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

import pytest

URL = "/api/concierge/stylist-tickets"


def ticket(**changes) -> dict:
    body = {"name": "Avery Stone", "email": " Avery.Stone@Example.com ", "topic": "occasion",
            "message": "A blazer for a summer wedding?"}
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


def later(days: float) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).isoformat().replace("+00:00", "Z")


def test_ticket_is_opened_and_stored(client, db, session_headers, session_id):
    response = client.post(URL, json=ticket(preferredTime=later(2)), headers=session_headers)
    assert response.status_code == 201
    body = response.get_json()
    assert body["ticketNumber"].startswith("ST-")
    assert body["status"] == "open"
    assert body["createdAt"].endswith("Z")
    stored = db.stylistTickets.find_one({"ticketNumber": body["ticketNumber"]})
    assert stored["email"] == "avery.stone@example.com"
    assert stored["preferredContact"] == "email"
    assert stored["sessionId"] == session_id
    event = db.analyticsEvents.find_one({"name": "aurora_stylist_ticket_created"})
    assert event["props"]["ticketNumber"] == body["ticketNumber"]
    assert event["sessionId"] == session_id
    assert event["requestId"] == response.headers["X-Request-ID"]


def test_phone_contact_with_phone_is_accepted(client, db):
    response = client.post(URL, json=ticket(preferredContact="phone", phone="+14155550123"))
    assert response.status_code == 201
    stored = db.stylistTickets.find_one({"ticketNumber": response.get_json()["ticketNumber"]})
    assert stored["phone"] == "+14155550123"


@pytest.mark.parametrize(("changes", "field"), [
    ({"topic": "shoes"}, "topic"),
    ({"preferredContact": "fax"}, "preferredContact"),
    ({"preferredContact": "phone"}, "phone"),
    ({"preferredContact": "phone", "phone": "415-555-0123"}, "phone"),
    ({"preferredTime": "2020-01-01T10:00:00Z"}, "preferredTime"),
    ({"preferredTime": "tomorrow"}, "preferredTime"),
    ({"email": "not-an-email"}, "email"),
    ({"email": {"$ne": None}}, "email"),
    ({"name": "   "}, "name"),
    ({"message": "x" * 2001}, "message"),
    ({"shortlistId": "no"}, "shortlistId"),
    ({"unexpected": 1}, "unexpected"),
])
def test_invalid_ticket_is_refused_with_field_errors(client, db, changes, field):
    response = client.post(URL, json=ticket(**changes))
    assert response.status_code == 422
    body = response.get_json()
    assert body["code"] == "validation_error"
    assert field in body["errors"]
    assert db.stylistTickets.count_documents({}) == 0


def test_unknown_shortlist_is_refused(client, db):
    response = client.post(URL, json=ticket(shortlistId=secrets.token_urlsafe(16)))
    assert response.status_code == 422
    assert "shortlistId" in response.get_json()["errors"]
    assert db.stylistTickets.count_documents({}) == 0


def test_known_shortlist_is_linked(client, db):
    shortlist_id = secrets.token_urlsafe(16)
    db.widgetShortlists.insert_one({"shortlistId": shortlist_id, "items": [],
                                    "updatedAt": datetime.now(UTC)})
    response = client.post(URL, json=ticket(shortlistId=shortlist_id))
    assert response.status_code == 201
    assert response.get_json()["shortlistId"] == shortlist_id


def test_form_post_is_refused_as_unsupported_media_type(client):
    response = client.post(URL, data={"name": "x"})
    assert response.status_code == 415
    assert response.get_json()["code"] == "unsupported_media_type"


def test_idempotency_key_replays_the_first_ticket(client, db):
    headers = {"Idempotency-Key": "stylist-key-0001"}
    first = client.post(URL, json=ticket(), headers=headers)
    again = client.post(URL, json=ticket(), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert db.stylistTickets.count_documents({}) == 1
    assert db.analyticsEvents.count_documents({"name": "aurora_stylist_ticket_created"}) == 1


def test_idempotency_key_reused_with_another_body_is_refused(client):
    headers = {"Idempotency-Key": "stylist-key-0002"}
    assert client.post(URL, json=ticket(), headers=headers).status_code == 201
    response = client.post(URL, json=ticket(topic="gift"), headers=headers)
    assert response.status_code == 422
    assert response.get_json()["code"] == "idempotency_key_reused"


def test_without_idempotency_key_each_post_opens_a_ticket(client, db):
    numbers = {client.post(URL, json=ticket()).get_json()["ticketNumber"] for _ in range(2)}
    assert len(numbers) == 2
    assert db.stylistTickets.count_documents({}) == 2


def test_malformed_idempotency_key_is_refused(client):
    response = client.post(URL, json=ticket(), headers={"Idempotency-Key": "bad key!"})
    assert response.status_code == 422
    assert "Idempotency-Key" in response.get_json()["errors"]
