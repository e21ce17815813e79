"""The one idempotency mechanism behind returns and stylist tickets."""

from datetime import timedelta

import pytest
from marshmallow import ValidationError

from concierge import idempotency
from concierge.errors import BadRequest, Conflict, NotFound, Unprocessable
from concierge.events import now


@pytest.fixture
def ctx(app):
    with app.test_request_context("/", headers={"Idempotency-Key": "key-123456"}):
        yield


def _counting_action(calls, status=201):
    def action():
        calls.append(1)
        return {"n": len(calls)}, status
    return action


def test_same_key_same_body_runs_once_and_replays(ctx, db):
    calls = []
    first = idempotency.run("t", "key-123456", {"a": 1}, _counting_action(calls))
    second = idempotency.run("t", "key-123456", {"a": 1}, _counting_action(calls))
    assert first == ({"n": 1}, 201, {})
    assert second == ({"n": 1}, 201, {"Idempotent-Replayed": "true"})
    assert calls == [1]


def test_same_key_other_body_is_rejected(ctx, db):
    idempotency.run("t", "key-123456", {"a": 1}, _counting_action([]))
    with pytest.raises(Unprocessable) as error:
        idempotency.run("t", "key-123456", {"a": 2}, _counting_action([]))
    assert error.value.code == "idempotency_key_reused"


def test_same_key_while_in_flight_is_409(ctx, db):
    def reenter():
        idempotency.run("t", "key-123456", {"a": 1}, _counting_action([]))
        return {}, 201

    with pytest.raises(Conflict) as error:
        idempotency.run("t", "key-123456", {"a": 1}, reenter)
    assert error.value.code == "idempotency_request_in_progress"


def test_key_of_a_dead_request_can_be_taken_over(ctx, db):
    stale = now() - idempotency.IN_FLIGHT_TIMEOUT - timedelta(seconds=1)
    db.idempotencyKeys.insert_one({
        "_id": "t:key-123456", "state": "in_flight", "createdAt": stale, "lockedAt": stale,
        "fingerprint": idempotency.fingerprint("t", {"a": 1})})
    calls = []
    assert idempotency.run("t", "key-123456", {"a": 1}, _counting_action(calls))[1] == 201
    assert calls == [1]


def test_key_older_than_a_day_starts_afresh(ctx, db):
    old = now() - timedelta(days=1, minutes=1)
    db.idempotencyKeys.insert_one({
        "_id": "t:key-123456", "state": "done", "createdAt": old, "lockedAt": old,
        "fingerprint": "other", "status": 201, "body": {"n": 0}})
    assert idempotency.run("t", "key-123456", {"a": 1}, _counting_action([])) == (
        {"n": 1}, 201, {})


def test_failed_action_releases_the_key(ctx, db):
    def fail():
        raise NotFound("nope")

    with pytest.raises(NotFound):
        idempotency.run("t", "key-123456", {"a": 1}, fail)
    assert db.idempotencyKeys.count_documents({}) == 0
    assert idempotency.run("t", "key-123456", {"a": 1}, _counting_action([]))[1] == 201


def test_keys_are_scoped_per_endpoint(ctx, db):
    idempotency.run("returns", "key-123456", {"a": 1}, _counting_action([]))
    assert idempotency.run("tickets", "key-123456", {"a": 1}, _counting_action([]))[2] == {}


def test_missing_required_key_is_400(app):
    with app.test_request_context("/"), pytest.raises(BadRequest) as error:
        idempotency.key_from_request(required=True)
    assert error.value.code == "idempotency_key_required"


def test_missing_optional_key_is_none(app):
    with app.test_request_context("/"):
        assert idempotency.key_from_request(required=False) is None


@pytest.mark.parametrize("key", ["short", "has space in key", "x" * 256, "semi;colon!"])
def test_malformed_key_is_a_field_error(app, key):
    with app.test_request_context("/", headers={"Idempotency-Key": key}), \
            pytest.raises(ValidationError) as error:
        idempotency.key_from_request(required=True)
    assert "Idempotency-Key" in error.value.messages
