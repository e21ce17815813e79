"""The feature flag: stable canary buckets, exact 0 % and 100 %, CLI control."""

import json
import secrets
import time

import pytest

from concierge import create_app
from concierge.flags import (
    CACHE_SECONDS,
    FLAG_ID,
    _FlagCache,
    bucket,
    get_flag,
    is_enabled_for,
    set_flag,
)

SESSIONS = [secrets.token_urlsafe(18) for _ in range(400)]


def test_same_session_gets_the_same_bucket_every_time():
    assert {bucket("session-abcdefgh-1234") for _ in range(50)} == {
        bucket("session-abcdefgh-1234")}


def test_bucket_does_not_depend_on_the_process():
    # sha256-based, not hash(): a fixed value proves every server agrees.
    assert bucket("session-abcdefgh-1234") == 69


@pytest.mark.parametrize(("percent", "expected_in"), [(0, 0), (100, len(SESSIONS))])
def test_zero_and_hundred_percent_are_exact(percent, expected_in):
    flag = {"_id": FLAG_ID, "enabled": True, "canaryPercent": percent}
    assert sum(is_enabled_for(flag, s) for s in SESSIONS) == expected_in


def test_canary_share_is_close_to_its_percent():
    flag = {"_id": FLAG_ID, "enabled": True, "canaryPercent": 25}
    share = sum(is_enabled_for(flag, s) for s in SESSIONS) / len(SESSIONS)
    assert 0.17 < share < 0.33


def test_disabled_flag_lets_nobody_in():
    flag = {"_id": FLAG_ID, "enabled": False, "canaryPercent": 100}
    assert not any(is_enabled_for(flag, s) for s in SESSIONS)


@pytest.mark.parametrize(("percent", "expected"), [(100, True), (99, False), (0, False)])
def test_caller_without_session_is_in_only_at_full_rollout(percent, expected):
    flag = {"_id": FLAG_ID, "enabled": True, "canaryPercent": percent}
    assert is_enabled_for(flag, None) is expected


def test_session_outside_the_canary_gets_concierge_disabled(client, db):
    set_flag(db, True, 50)
    outside = next(s for s in SESSIONS if bucket(s) >= 50)
    inside = next(s for s in SESSIONS if bucket(s) < 50)
    body = {"orderNumber": "GG-11982", "email": "avery.stone@example.com"}
    refused = client.post("/api/concierge/orders/lookup", json=body,
                          headers={"X-Concierge-Session": outside})
    assert refused.status_code == 503
    assert refused.get_json()["code"] == "concierge_disabled"
    allowed = client.post("/api/concierge/orders/lookup", json=body,
                          headers={"X-Concierge-Session": inside})
    assert allowed.status_code == 200


def test_config_reports_the_flag_for_the_session(client, db):
    set_flag(db, True, 50)
    for session in SESSIONS[:20]:
        answer = client.get("/api/concierge/config", headers={"X-Concierge-Session": session})
        assert answer.get_json()["realEndpointsEnabled"] is (bucket(session) < 50)


def test_health_config_and_spec_stay_up_when_disabled(client, db):
    set_flag(db, False, 0)
    for path in ("/health", "/config", "/openapi.json"):
        assert client.get(f"/api/concierge{path}").status_code == 200


def test_flags_command_changes_the_flag(mongodb_runner, mongodb):
    result = mongodb_runner.invoke(args=["concierge", "flags", "--enable", "--canary", "10"])
    assert result.exit_code == 0
    assert json.loads(result.output.splitlines()[0]) == {
        "flag": FLAG_ID, "enabled": True, "canaryPercent": 10}
    assert mongodb.featureFlags.find_one({"_id": FLAG_ID})["canaryPercent"] == 10
    result = mongodb_runner.invoke(args=["concierge", "flags", "--disable"])
    assert mongodb.featureFlags.find_one({"_id": FLAG_ID})["enabled"] is False


def test_flags_command_refuses_a_percent_out_of_range(mongodb_runner):
    result = mongodb_runner.invoke(args=["concierge", "flags", "--canary", "101"])
    assert result.exit_code == 2


def test_flags_command_shows_a_sessions_bucket(mongodb_runner):
    result = mongodb_runner.invoke(args=["concierge", "flags", "--session",
                                         "session-abcdefgh-1234"])
    assert json.loads(result.output.splitlines()[1])["bucket"] == 69


LOOKUP = {"orderNumber": "GG-11982", "email": "avery.stone@example.com"}


def test_flag_is_read_once_for_many_requests(client, query_log):
    for _ in range(5):
        assert client.post("/api/concierge/orders/lookup", json=LOOKUP).status_code == 200
    reads = [q for q in query_log.queries if q["collection"] == "featureFlags"]
    assert len(reads) == 1


def test_flag_change_made_on_this_process_applies_at_once(client, db):
    assert client.post("/api/concierge/orders/lookup", json=LOOKUP).status_code == 200
    set_flag(db, False, 0)
    assert client.post("/api/concierge/orders/lookup", json=LOOKUP).status_code == 503
    set_flag(db, True, 100)
    assert client.post("/api/concierge/orders/lookup", json=LOOKUP).status_code == 200


def test_flag_change_made_by_another_process_applies_within_about_a_second(client, db):
    assert client.post("/api/concierge/orders/lookup", json=LOOKUP).status_code == 200
    # As the CLI on another machine would: straight into the database.
    db.featureFlags.update_one({"_id": FLAG_ID}, {"$set": {"enabled": False}})
    deadline = time.monotonic() + 5 * CACHE_SECONDS
    while client.post("/api/concierge/orders/lookup", json=LOOKUP).status_code == 200:
        assert time.monotonic() < deadline, "the cached flag outlived its second"
        time.sleep(0.1)


def test_each_app_has_its_own_cached_flag(config):
    first, second = create_app(config), create_app(config)
    set_flag(first.extensions["concierge_store"].database(), False, 0)
    refused = first.test_client().post("/api/concierge/orders/lookup", json=LOOKUP)
    served = second.test_client().post("/api/concierge/orders/lookup", json=LOOKUP)
    assert (refused.status_code, served.status_code) == (503, 200)


# --- bounds, defaults and storage of the flag ----------------------------------------------

@pytest.mark.parametrize("percent", [0, 1, 99, 100])
def test_every_percent_from_0_to_100_can_be_set(db, percent):
    assert set_flag(db, True, percent) == {"_id": FLAG_ID, "enabled": True,
                                            "canaryPercent": percent}
    assert get_flag(db)["canaryPercent"] == percent


@pytest.mark.parametrize("percent", [-1, 101])
def test_a_percent_outside_0_to_100_is_refused_and_nothing_changes(db, percent):
    before = get_flag(db)
    with pytest.raises(ValueError, match=r"^canary percent must be between 0 and 100$"):
        set_flag(db, False, percent)
    assert get_flag(db) == before


def test_a_full_rollout_lets_in_a_caller_without_a_session(client, db):
    set_flag(db, True, 100)
    response = client.get("/api/concierge/config")
    assert response.get_json()["realEndpointsEnabled"] is True


def test_each_flag_is_stored_and_read_under_its_own_id(db):
    set_flag(db, False, 0)
    set_flag(db, True, 40, flag_id="concierge.otherFlag")
    assert get_flag(db) == {"_id": FLAG_ID, "enabled": False, "canaryPercent": 0}
    assert get_flag(db, "concierge.otherFlag") == {
        "_id": "concierge.otherFlag", "enabled": True, "canaryPercent": 40}


def test_is_enabled_for_buckets_by_the_flags_own_id():
    other = "concierge.otherFlag"
    session = next(s for s in SESSIONS if bucket(s, other) < 50 <= bucket(s))
    assert is_enabled_for({"_id": other, "enabled": True, "canaryPercent": 50}, session)
    assert not is_enabled_for({"_id": FLAG_ID, "enabled": True, "canaryPercent": 50}, session)


def test_buckets_spread_over_0_to_99():
    buckets = [bucket(f"session-{n:08d}") for n in range(2000)]  # fixed: no chance involved
    assert min(buckets) == 0
    assert max(buckets) == 99
    assert all(isinstance(b, int) for b in buckets)


@pytest.mark.parametrize(("flag", "expected"), [
    ({"_id": FLAG_ID, "canaryPercent": 100}, False),  # no "enabled": off
    ({"_id": FLAG_ID, "enabled": True}, False),  # no "canaryPercent": 0 %
    ({"_id": FLAG_ID, "enabled": True, "canaryPercent": "100"}, True),  # stored as text
])
def test_a_stored_flag_missing_fields_reads_safely(flag, expected):
    assert is_enabled_for(flag, None) is expected
    assert any(is_enabled_for(flag, s) for s in SESSIONS) is expected


class TestEmptyDatabase:
    @pytest.fixture
    def config(self, config):
        return {**config, "SEED_ON_START": False}

    def test_no_stored_flag_reads_as_switched_off(self, db, client):
        # An unseeded store starts with the concierge on (seeding.prepare_store); without
        # any stored flag, it reads as off.
        db.featureFlags.delete_many({})
        assert get_flag(db) == {"_id": FLAG_ID, "enabled": False, "canaryPercent": 0}
        answer = client.get("/api/concierge/config", headers={"X-Concierge-Session": SESSIONS[0]})
        assert answer.get_json()["realEndpointsEnabled"] is False

    def test_setting_the_flag_stores_it(self, db, client):
        assert set_flag(db, True, 100) == {"_id": FLAG_ID, "enabled": True,
                                           "canaryPercent": 100}
        assert db.featureFlags.find_one({"_id": FLAG_ID})["enabled"] is True
        assert client.get("/api/concierge/config").get_json()["realEndpointsEnabled"] is True


def test_outside_the_canary_config_answers_false_not_null(client, db):
    set_flag(db, True, 0)
    answer = client.get("/api/concierge/config", headers={"X-Concierge-Session": SESSIONS[0]})
    assert answer.get_json()["realEndpointsEnabled"] is False


def test_a_disabled_session_is_told_why_in_the_problem(client, db):
    set_flag(db, False, 0)
    problem = client.get("/api/concierge/capsules").get_json()
    assert problem["code"] == "concierge_disabled"
    assert problem["detail"] == ("The concierge is switched off for this session; contact "
                                 "the store instead.")


def test_a_new_flag_cache_keeps_the_flag_it_read_until_told_to_forget(db):
    cache = _FlagCache()
    assert cache.get(db, FLAG_ID) == get_flag(db)
    db.featureFlags.update_one({"_id": FLAG_ID}, {"$set": {"enabled": False}})
    assert cache.get(db, FLAG_ID)["enabled"] is True  # kept: no database read
    cache.forget(db, FLAG_ID)
    assert cache.get(db, FLAG_ID)["enabled"] is False
