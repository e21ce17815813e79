"""The one idempotency mechanism behind returns and stylist tickets."""

from datetime import UTC, datetime, timedelta

import pytest
from marshmallow import ValidationError
from pymongo.errors import AutoReconnect

from concierge import idempotency
from concierge.clock import now
from concierge.config import RETENTION_DEFAULTS
from concierge.errors import BadRequest, Conflict, NotFound, Unprocessable


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


def test_key_older_than_a_day_starts_afresh(ctx, db, clock):
    # Stored at the app's time and read a day later: the expired-key branch runs,
    # whether or not the store's TTL monitor has swept the record yet.
    old = clock.freeze()
    db.idempotencyKeys.insert_one({
        "_id": "t:key-123456", "state": "done", "createdAt": old, "lockedAt": old,
        "fingerprint": "other", "status": 201, "body": {"n": 0}})
    clock.advance(days=1, minutes=1)
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


# --- time and lost races, on the app's clock and the races fixture -------------------------

KEY_ID = "t:key-123456"


def _dies_before_answer_stored(races):
    """Make the worker die after the action ran but before its answer was stored."""
    def die(db, args, kwargs):
        raise AutoReconnect("worker killed")

    races.before("idempotencyKeys", "update_one", die,
                 when=lambda args, kwargs: args[1]["$set"].get("state") == "done")


def _crashed(races, clock, payload=None, key="key-123456"):
    """Leave `key` in flight as a killed worker would; return when it was locked."""
    _dies_before_answer_stored(races)
    started = clock()
    with pytest.raises(AutoReconnect):
        idempotency.run("t", key, payload or {"a": 1}, _counting_action([]))
    return started


def test_a_crashed_requests_key_is_taken_over_exactly_at_the_in_flight_timeout(
        ctx, db, races, clock):
    clock.freeze()
    started = _crashed(races, clock)
    assert db.idempotencyKeys.find_one({"_id": KEY_ID})["lockedAt"] == started
    clock.set(started + idempotency.IN_FLIGHT_TIMEOUT - timedelta(milliseconds=1))
    with pytest.raises(Conflict):
        idempotency.run("t", "key-123456", {"a": 1}, _counting_action([]))
    clock.set(started + idempotency.IN_FLIGHT_TIMEOUT)
    calls = []
    assert idempotency.run("t", "key-123456", {"a": 1}, _counting_action(calls)) == (
        {"n": 1}, 201, {})
    assert calls == [1]
    stored = db.idempotencyKeys.find_one({"_id": KEY_ID})
    assert stored["state"] == "done"
    assert stored["lockedAt"] == started + idempotency.IN_FLIGHT_TIMEOUT
    assert stored["completedAt"] == clock()


def test_a_stale_key_is_not_taken_over_by_another_body(ctx, db, races, clock):
    clock.freeze()
    started = _crashed(races, clock)
    clock.set(started + idempotency.IN_FLIGHT_TIMEOUT * 2)
    calls = []
    with pytest.raises(Unprocessable) as error:
        idempotency.run("t", "key-123456", {"a": 2}, _counting_action(calls))
    assert error.value.code == "idempotency_key_reused"
    assert calls == []
    assert db.idempotencyKeys.find_one({"_id": KEY_ID})["lockedAt"] == started


def test_taking_over_one_stale_key_leaves_other_keys_alone(ctx, db, races, clock):
    clock.freeze()
    long_ago = _crashed(races, clock, key="key-older-one")
    clock.set(long_ago + idempotency.IN_FLIGHT_TIMEOUT * 3)
    recent = _crashed(races, clock)
    calls = []
    with pytest.raises(Conflict):
        idempotency.run("t", "key-123456", {"a": 1}, _counting_action(calls))
    assert calls == []
    assert db.idempotencyKeys.find_one({"_id": "t:key-older-one"})["lockedAt"] == long_ago
    assert db.idempotencyKeys.find_one({"_id": KEY_ID})["lockedAt"] == recent


def test_a_key_expires_exactly_one_retention_period_after_creation(ctx, db, clock):
    created = clock.freeze()
    calls = []
    idempotency.run("t", "key-123456", {"a": 1}, _counting_action(calls))
    clock.set(created + timedelta(days=1) - timedelta(milliseconds=1))
    assert idempotency.run("t", "key-123456", {"a": 1}, _counting_action(calls))[2] == {
        "Idempotent-Replayed": "true"}
    clock.set(created + timedelta(days=1))
    assert idempotency.run("t", "key-123456", {"a": 2}, _counting_action(calls)) == (
        {"n": 2}, 201, {})
    stored = db.idempotencyKeys.find_one({"_id": KEY_ID})
    assert (stored["createdAt"], stored["body"]) == (clock(), {"n": 2})
    assert idempotency.run("t", "key-123456", {"a": 2}, _counting_action(calls)) == (
        {"n": 2}, 201, {"Idempotent-Replayed": "true"})


class TestConfiguredRetention:
    @pytest.fixture
    def config(self, config):
        return {**config, "RETENTION_DAYS": {**RETENTION_DEFAULTS, "idempotencyKeys": 3}}

    def test_the_key_retention_follows_the_setting(self, ctx, clock):
        created = clock.freeze()
        calls = []
        idempotency.run("t", "key-123456", {"a": 1}, _counting_action(calls))
        clock.set(created + timedelta(days=2))
        assert idempotency.run("t", "key-123456", {"a": 1}, _counting_action(calls))[2]
        clock.set(created + timedelta(days=3))
        assert idempotency.run("t", "key-123456", {"a": 1}, _counting_action(calls))[2] == {}
        assert calls == [1, 1]


def test_an_expired_key_renewed_meanwhile_by_another_request_is_kept(ctx, db, races, clock):
    created = clock.freeze()
    idempotency.run("t", "key-123456", {"a": 1}, _counting_action([]))
    clock.set(created + timedelta(days=2))

    def renew_first(db, args, kwargs):  # another request swept it and started afresh
        db.idempotencyKeys.delete_one({"_id": KEY_ID})
        db.idempotencyKeys.insert_one({"_id": KEY_ID, "state": "in_flight", "createdAt": clock(),
                                       "lockedAt": clock(),
                                       "fingerprint": idempotency.fingerprint("t", {"a": 1})})

    races.before("idempotencyKeys", "delete_one", renew_first)
    calls = []
    with pytest.raises(Conflict):
        idempotency.run("t", "key-123456", {"a": 1}, _counting_action(calls))
    assert calls == []
    assert db.idempotencyKeys.find_one({"_id": KEY_ID})["state"] == "in_flight"


def test_a_key_swept_between_insert_and_read_is_claimed_again(ctx, db, races, clock):
    clock.freeze()
    idempotency.run("t", "key-123456", {"a": 1}, _counting_action([]))

    def sweep(db, args, kwargs):  # the TTL monitor removes the record just now
        db.idempotencyKeys.delete_one({"_id": KEY_ID})

    races.before("idempotencyKeys", "find_one", sweep)
    calls = []
    assert idempotency.run("t", "key-123456", {"a": 2}, _counting_action(calls)) == (
        {"n": 1}, 201, {})
    assert db.idempotencyKeys.find_one({"_id": KEY_ID})["body"] == {"n": 1}
    assert idempotency.run("t", "key-123456", {"a": 2}, _counting_action(calls))[2] == {
        "Idempotent-Replayed": "true"}


def test_a_failing_slow_request_keeps_the_answer_of_the_one_that_took_over(ctx, db, clock):
    clock.freeze()
    calls = []

    def slow_then_fail():
        clock.advance(idempotency.IN_FLIGHT_TIMEOUT)
        assert idempotency.run("t", "key-123456", {"a": 1}, _counting_action(calls))[1] == 201
        raise NotFound("gone meanwhile")

    with pytest.raises(NotFound):
        idempotency.run("t", "key-123456", {"a": 1}, slow_then_fail)
    assert idempotency.run("t", "key-123456", {"a": 1}, _counting_action(calls)) == (
        {"n": 1}, 201, {"Idempotent-Replayed": "true"})
    assert calls == [1]


BODY = {"b": [1, {"d": 2, "c": 3}], "a": "x", "at": datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)}


def test_the_fingerprint_is_the_same_on_every_server_and_release():
    # Keys stored by one worker (or the previous release) must match on another.
    assert idempotency.fingerprint("returns", BODY) == (
        "812058718e063c2b2e0a244982db6ada1ad555542364de81fbe75f7e3bc11bf0")


def test_the_fingerprint_ignores_key_order_and_tells_bodies_and_scopes_apart():
    reordered = {"at": BODY["at"], "a": "x", "b": [1, {"c": 3, "d": 2}]}
    assert idempotency.fingerprint("returns", reordered) == idempotency.fingerprint(
        "returns", BODY)
    assert idempotency.fingerprint("returns", {**BODY, "at": datetime(2030, 1, 2, tzinfo=UTC)}
                                   ) != idempotency.fingerprint("returns", BODY)
    assert idempotency.fingerprint("tickets", BODY) != idempotency.fingerprint("returns", BODY)


def test_each_idempotency_problem_says_what_to_do(ctx):
    idempotency.run("t", "key-123456", {"a": 1}, _counting_action([]))
    with pytest.raises(Unprocessable) as reused:
        idempotency.run("t", "key-123456", {"a": 2}, _counting_action([]))
    assert (reused.value.title, reused.value.detail) == (
        "Idempotency key reused",
        "This Idempotency-Key was already used with a different body; use a new key.")

    def reenter():
        with pytest.raises(Conflict) as busy:
            idempotency.run("t", "key-busy-0001", {"a": 1}, _counting_action([]))
        error = busy.value
        assert (error.code, error.title, error.headers) == (
            "idempotency_request_in_progress", "Request in progress", {"Retry-After": "1"})
        assert error.detail == ("A request with this Idempotency-Key is still being "
                                "processed; retry shortly.")
        return {}, 201

    idempotency.run("t", "key-busy-0001", {"a": 1}, reenter)


def test_a_missing_key_problem_says_how_to_send_one(app):
    with app.test_request_context("/"), pytest.raises(BadRequest) as error:
        idempotency.key_from_request(required=True)
    assert (error.value.title, error.value.detail) == (
        "Idempotency key required",
        "Send an Idempotency-Key header (8-255 of A-Z a-z 0-9 _ -) so that a retry cannot "
        "create a second record.")


def test_without_a_key_the_action_runs_every_time_and_its_answer_is_returned(ctx):
    calls = []

    def action():
        calls.append(1)
        return {"n": len(calls)}, 201

    assert idempotency.run("stylist-tickets", None, {"a": 1}, action) == ({"n": 1}, 201, {})
    assert idempotency.run("stylist-tickets", None, {"a": 1}, action) == ({"n": 2}, 201, {})
