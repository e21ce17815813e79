"""The app's clock: real UTC by default, the test's own clock when passed by argument."""

from datetime import UTC, datetime, timedelta

from concierge import create_app
from concierge.clock import now, utc_now
from concierge.config import Config


def test_production_clock_is_real_utc_in_milliseconds():
    before = datetime.now(UTC) - timedelta(milliseconds=1)
    app = create_app({"TESTING": True, "SEED_ON_START": False, "LOG_LEVEL": "WARNING"})
    with app.app_context():
        at = now()
    assert before <= at <= datetime.now(UTC)
    assert at.tzinfo is UTC
    assert at.microsecond % 1000 == 0
    assert app.config["CLOCK"] is utc_now


def test_outside_an_app_now_is_real_utc():
    before = utc_now()
    assert before <= now() <= utc_now()


def test_the_environment_cannot_replace_the_clock():
    assert Config.from_env({"CLOCK": "1970-01-01"}).CLOCK is utc_now


def test_the_app_reads_the_clock_it_was_given(app, clock):
    at = clock.set(datetime(2031, 5, 6, 7, 8, 9, 123456, tzinfo=UTC))
    assert at.microsecond == 123000
    with app.app_context():
        assert now() == at
        clock.advance(seconds=90)
        assert now() == at + timedelta(seconds=90)


def test_the_clock_follows_real_time_until_set(clock):
    before = utc_now()
    assert before <= clock() <= utc_now()
    frozen = clock.freeze()
    assert clock() == frozen == clock()


def test_a_request_is_stamped_by_the_app_clock(client, db, clock):
    at = clock.set(utc_now() + timedelta(days=3))
    response = client.post("/api/concierge/capsule-holds", json={
        "capsuleId": "capsule-weekend-edit", "email": "clock@example.com"})
    stored = db.capsuleHolds.find_one({"holdId": response.get_json()["holdId"]})
    assert stored["createdAt"] == at
