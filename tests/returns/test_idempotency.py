"""Idempotency-Key on POST /returns: required, replayed, reused, in flight, 24 h."""

from datetime import timedelta

import pytest

from concierge import idempotency
from concierge.clock import now
from concierge.returns.schemas import ReturnRequestSchema

URL = "/api/concierge/returns"
BODY = {"orderNumber": "GG-10457", "email": "jordan.lee@example.com",
        "items": [{"sku": "AUR-TP-0001", "quantity": 1, "reason": "too_large"}]}


def post(client, payload=BODY, key="idem-key-0001"):
    headers = {} if key is None else {"Idempotency-Key": key}
    return client.post(URL, json=payload, headers=headers)


def test_missing_key_answers_400_and_creates_nothing(client, db):
    response = post(client, key=None)
    assert response.status_code == 400
    assert response.content_type == "application/problem+json"
    assert response.get_json()["code"] == "idempotency_key_required"
    assert db.returns.count_documents({}) == 0


@pytest.mark.parametrize("key", ["short", "has space in it", "x" * 256, "semi;colon1"])
def test_malformed_key_answers_422(client, db, key):
    response = post(client, key=key)
    assert response.status_code == 422
    assert "Idempotency-Key" in response.get_json()["errors"]
    assert db.returns.count_documents({}) == 0


def test_same_key_and_body_replays_the_answer_without_a_second_return(client, db):
    first = post(client)
    again = post(client, {**BODY, "email": " Jordan.Lee@example.com"})
    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert db.returns.count_documents({}) == 1
    assert db.orders.find_one({"orderNumber": "GG-10457"})["returnedQuantities"] == {
        "AUR-TP-0001": 1}


def test_same_key_with_another_body_answers_422_reused(client, db):
    post(client)
    other = post(client, {**BODY, "comment": "another body"})
    assert other.status_code == 422
    assert other.get_json()["code"] == "idempotency_key_reused"
    assert db.returns.count_documents({}) == 1


def test_same_key_while_the_first_is_in_flight_answers_409(client, db, app):
    with app.test_request_context():
        digest = idempotency.fingerprint("returns", ReturnRequestSchema().load(BODY))
    started = now()
    db.idempotencyKeys.insert_one({"_id": "returns:idem-key-0001", "fingerprint": digest,
                                   "state": "in_flight", "createdAt": started,
                                   "lockedAt": started})
    response = post(client)
    assert response.status_code == 409
    assert response.get_json()["code"] == "idempotency_request_in_progress"
    assert response.headers["Retry-After"]
    assert db.returns.count_documents({}) == 0


def test_keys_are_scoped_to_returns(client, db):
    db.idempotencyKeys.insert_one({"_id": "stylist-tickets:idem-key-0001",
                                   "fingerprint": "x", "state": "done", "status": 201,
                                   "body": {}, "createdAt": now()})
    assert post(client).status_code == 201
    assert db.returns.count_documents({}) == 1


def test_a_failed_attempt_frees_its_key_for_the_corrected_request(client, db):
    wrong = post(client, {**BODY, "email": "typo@example.com"})
    assert wrong.status_code == 404
    right = post(client)
    assert right.status_code == 201
    assert "Idempotent-Replayed" not in right.headers


def test_keys_live_24_hours(client, db):
    first = post(client).get_json()
    db.idempotencyKeys.update_one({"_id": "returns:idem-key-0001"},
                                  {"$set": {"createdAt": now() - timedelta(hours=24,
                                                                           seconds=1)}})
    later = post(client)
    assert later.status_code == 201
    assert "Idempotent-Replayed" not in later.headers
    assert later.get_json()["rmaNumber"] != first["rmaNumber"]
    assert db.returns.count_documents({}) == 2


def test_key_document_expires_with_a_24_hour_ttl(db):
    ttl = db.idempotencyKeys.index_information()["ttl_idempotency"]
    assert ttl["expireAfterSeconds"] == 24 * 3600


def test_a_malformed_key_is_told_what_a_key_may_hold(client):
    errors = post(client, key="short").get_json()["errors"]
    assert errors["Idempotency-Key"] == ["Must be 8-255 characters of A-Z a-z 0-9 _ -."]
