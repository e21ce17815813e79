"""Every worker applies the store's synonyms and rules within one refresh interval."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from concierge import catalog_version, create_app
from concierge.products import repository
from concierge.products.steering import Steering, in_force, read, with_synonyms
from concierge.products.vocabulary import vocabulary

from ..support.queries import unserved

API = "/api/concierge"
KEY = "test-steering-key-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {KEY}"}
RULE = {"query": "silk dress", "pin": ["AUR-KN-0006"], "hide": ["AUR-DR-0011"]}
WINDOW = 5.0  # seconds API.md gives a change to reach every worker


class Ticks:
    """A monotonic clock moved by hand."""

    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def config(config) -> dict:
    """The default refresh interval, and a merchant key."""
    return {**config, "CONCIERGE_MERCHANT_KEY": KEY}


@pytest.fixture
def workers(config):
    """Two apps on one database, as gunicorn's workers share MongoDB: each keeps its own
    search index and its own copy of the store's synonyms and rules."""
    first, second = create_app(config), create_app(config)
    second.extensions["concierge_store"] = first.extensions["concierge_store"]
    return first, second


def skus(client, q: str, **params) -> list[str]:
    page = client.get(f"{API}/products", query_string={"q": q, **params}).get_json()
    return [p["sku"] for p in page["items"]] if page["total"] else []


def until(check, seconds: float) -> float:
    """Return how long `check()` took to hold, failing after `seconds`."""
    start = time.monotonic()
    while not check():
        assert time.monotonic() - start < seconds, "not applied in time"
        time.sleep(0.05)
    return time.monotonic() - start


@pytest.mark.slow
def test_a_new_rule_and_synonym_reach_the_other_worker_within_the_window(workers):
    first, second = (app.test_client() for app in workers)
    assert skus(second, "silk dress")[0] != "AUR-KN-0006"  # its copy is read, and kept
    assert skus(second, "zorblat") == []
    assert first.put(f"{API}/merchant/search/rules/silk", json=RULE,
                     headers=AUTH).status_code == 201
    assert first.put(f"{API}/merchant/search/synonyms", headers=AUTH,
                     json={"oneWay": [], "groups": [["zorblat", "linen"]]}).status_code == 200
    assert skus(first, "silk dress")[0] == "AUR-KN-0006"  # the writer at once
    took = until(lambda: skus(second, "silk dress")[0] == "AUR-KN-0006", WINDOW)
    assert skus(second, "zorblat")
    assert took <= workers[1].config["CONCIERGE"].SEARCH_REFRESH_MS / 1000 + 0.5
    assert first.delete(f"{API}/merchant/search/rules/silk", headers=AUTH).status_code == 200
    until(lambda: "AUR-DR-0011" in skus(second, "silk dress"), WINDOW)


def test_a_worker_reads_the_change_at_its_next_look_after_the_interval(app, db):
    ticks = Ticks()
    worker = Steering(2.0, clock=ticks)
    with app.app_context():
        assert worker.current().rules == {}
        repository.save_rule("silk", {**RULE, "startsAt": None, "endsAt": None},
                             datetime.now(UTC))
        ticks.now = 1.9
        assert worker.current().rules == {}  # within the interval: the copy it has
        ticks.now = 2.0
        assert list(worker.current().rules) == ["silk dress"]


def test_a_quiet_store_costs_one_counter_read_per_interval(app, query_log):
    ticks = Ticks()
    worker = Steering(2.0, clock=ticks)
    with app.app_context():
        worker.current()
        query_log.queries.clear()
        for step in range(10):
            ticks.now = step * 0.5
            worker.current()
    assert [(q["collection"], q["filter"]) for q in query_log.queries] == [
        ("catalogChanges", catalog_version.STEERING)] * 2
    assert unserved(query_log) == []


def test_a_database_outage_keeps_the_copy_it_has(app, monkeypatch, caplog):
    from pymongo.errors import ServerSelectionTimeoutError
    worker = Steering(0)
    with app.app_context():
        repository.save_rule("silk", {**RULE, "startsAt": None, "endsAt": None},
                             datetime.now(UTC))
        before = worker.current()

        def down():
            raise ServerSelectionTimeoutError("no server")
        monkeypatch.setattr(repository, "steering_changes", down)
        assert worker.current() is before
    assert "not refreshed" in caplog.text


@pytest.mark.parametrize(("starts", "ends", "expected"), [
    (None, None, True), (-1, None, True), (1, None, False), (None, 1, True),
    (None, -1, False), (-1, 0, False), (0, 1, True)])
def test_a_rule_is_in_force_from_its_start_until_its_end(starts, ends, expected):
    at = datetime(2027, 1, 1, tzinfo=UTC)

    def hours(n):
        return None if n is None else at + timedelta(hours=n)
    assert in_force({"startsAt": hours(starts), "endsAt": hours(ends)}, at) is expected


def test_rules_of_the_same_words_add_up_and_hidden_wins(app):
    with app.app_context():
        now = datetime.now(UTC)
        repository.save_rule("a", {"query": "Silk dress", "pin": ["X-1", "X-2"], "hide": [],
                                   "startsAt": None, "endsAt": None}, now)
        repository.save_rule("b", {"query": "silk-dress!", "pin": ["X-3", "X-1"],
                                   "hide": ["X-2"], "startsAt": None, "endsAt": None}, now)
        steer = read().steer("SILK DRESS", now)
    assert steer.pin == ("X-1", "X-3")
    assert steer.hide == {"X-2"}


def test_store_synonyms_stand_beside_the_built_in_ones():
    built_in = vocabulary("en")
    words = with_synonyms(built_in, [{"groups": [["zorblat", "Linen"]],
                                      "oneWay": [{"from": "zorp", "to": ["Zig-Zag"]}]}])
    assert words.synonyms[("zorblat",)] == ("zorblat", "linen")
    assert words.synonyms[("linen",)][-2:] == ("zorblat", "linen")
    assert words.synonyms[("zorp",)] == ("zorp", "zig zag")
    assert ("zig", "zag") not in words.synonyms
    assert {k: v for k, v in words.synonyms.items() if k not in {
        ("zorblat",), ("linen",), ("zorp",)}} == {
        k: v for k, v in built_in.synonyms.items() if k not in {
            ("zorblat",), ("linen",), ("zorp",)}}
    assert with_synonyms(built_in, []) is built_in
