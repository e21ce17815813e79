"""The analytics writer: batched, unordered, bounded, never in the shopper's way."""

from __future__ import annotations

import threading
import time

import pytest

from concierge import create_app
from concierge.events import BATCH, FLUSH_SECONDS, EventWriter

LOOKUP = {"orderNumber": "GG-11982", "email": "avery.stone@example.com"}


@pytest.fixture
def inserts(app):
    """Record every insert the app sends its embedded store: (collection, method, kwargs)."""
    seen: list = []

    def observe(collection, method, args, kwargs):
        if method.startswith("insert"):
            seen.append((collection.name, method, len(args[0]) if args else 0, kwargs))

    app.extensions["concierge_store"].observers.append(observe)
    return seen


def test_events_are_written_in_unordered_batches(app, db, inserts):
    writer = EventWriter(app.extensions["concierge_store"].database)
    docs = [{"name": "aurora_batched", "n": n} for n in range(BATCH * 2 + 7)]
    assert writer.put(docs) == len(docs)
    writer.flush()
    batches = [(size, kwargs) for name, method, size, kwargs in inserts
               if name == "analyticsEvents"]
    assert {method for _, method, _, _ in inserts} == {"insert_many"}
    assert sorted(size for size, _ in batches) == [7, BATCH, BATCH]
    assert all(kwargs == {"ordered": False} for _, kwargs in batches)
    assert db.analyticsEvents.count_documents({"name": "aurora_batched"}) == len(docs)
    assert writer.counts == {"written": len(docs), "dropped": 0, "failed": 0}


def test_the_writer_thread_stores_a_requests_event_within_about_a_second(config):
    app = create_app({**config, "TESTING": False})  # no flush at teardown
    store = app.extensions["concierge_store"]
    writers: list = []
    store.observers.append(lambda collection, method, args, kwargs: writers.append(
        threading.current_thread().name) if method.startswith("insert") else None)
    db = store.database()
    answer = app.test_client().post("/api/concierge/orders/lookup", json=LOOKUP,
                                    headers={"X-Request-ID": "req-writer-0001"})
    assert answer.status_code == 200
    deadline = time.monotonic() + 5 * FLUSH_SECONDS
    while db.analyticsEvents.find_one({"requestId": "req-writer-0001"}) is None:
        assert time.monotonic() < deadline, "the writer did not flush within its second"
        time.sleep(0.05)
    # The request only queued it: the one insert ran on the writer's own thread.
    assert writers == ["analytics-writer"]


def test_a_full_queue_drops_and_counts_events_without_blocking(app):
    stuck = threading.Event()
    database = app.extensions["concierge_store"].database

    def slow_database():
        stuck.wait(30)  # the database hangs: the writer's thread waits here
        return database()

    writer = EventWriter(slow_database, capacity=2)
    try:
        queued = [writer.put([{"name": "aurora_full", "n": n}]) for n in range(6)]
        assert sum(queued) <= 3  # two queued, perhaps one taken by the stuck writer
        assert writer.counts["dropped"] == 6 - sum(queued)
    finally:
        stuck.set()
        writer.close()


def test_a_full_queue_never_fails_the_shoppers_request(app, client):
    stuck = threading.Event()
    database = app.extensions["concierge_store"].database
    writer = app.extensions["concierge_events"] = EventWriter(
        lambda: stuck.wait(30) and database(), capacity=1)
    try:
        for _ in range(5):
            assert client.post("/api/concierge/orders/lookup", json=LOOKUP).status_code == 200
        assert writer.counts["dropped"] >= 3
    finally:
        stuck.set()
        writer.close()


def test_closing_the_writer_writes_what_is_queued(app, db):
    writer = EventWriter(app.extensions["concierge_store"].database)
    writer.put([{"name": "aurora_at_shutdown", "n": n} for n in range(3)])
    writer.close()
    assert db.analyticsEvents.count_documents({"name": "aurora_at_shutdown"}) == 3


def test_a_database_error_is_counted_and_the_writer_goes_on(app, db):
    from pymongo.errors import ServerSelectionTimeoutError

    calls = []
    database = app.extensions["concierge_store"].database

    def flaky():
        calls.append(1)
        if len(calls) == 1:
            raise ServerSelectionTimeoutError("no primary")
        return database()

    writer = EventWriter(flaky)
    writer.put([{"name": "aurora_lost"}])
    writer.flush()
    writer.put([{"name": "aurora_kept"}])
    writer.flush()
    assert writer.counts == {"written": 1, "dropped": 0, "failed": 1}
    assert db.analyticsEvents.count_documents({"name": "aurora_kept"}) == 1
    writer.close()



def test_a_bulk_sender_s_events_are_written_before_it_is_answered(app, db, inserts):
    writer = EventWriter(app.extensions["concierge_store"].database)
    writer._start = lambda: None  # no writer thread: only the caller can write them
    try:
        stored = writer.write_now([{"name": "aurora_sent", "n": n} for n in range(50)])
        assert stored == 50
        assert db.analyticsEvents.count_documents({"name": "aurora_sent"}) == 50
        assert [size for name, _, size, _ in inserts if name == "analyticsEvents"] == [50]
    finally:
        writer.close()



def test_events_queued_by_many_threads_at_once_are_each_written_once(app, db):
    writer = EventWriter(app.extensions["concierge_store"].database)
    threads = [threading.Thread(target=lambda t=t: [
        writer.put([{"name": "aurora_threads", "n": t * 1000 + n}]) for n in range(500)])
        for t in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    writer.close()
    stored = [doc["n"] for doc in db.analyticsEvents.find({"name": "aurora_threads"})]
    assert sorted(stored) == sorted(t * 1000 + n for t in range(8) for n in range(500))
    assert writer.counts == {"written": 4000, "dropped": 0, "failed": 0}


def test_a_full_batch_is_written_at_once_and_the_rest_waits_for_the_interval(app, db, inserts):
    # Under load, writing whatever was queued each time the thread wakes would commit a
    # few events at a time; full batches go at once, the remainder with the next one.
    writer = EventWriter(app.extensions["concierge_store"].database, interval=60)
    writer.put([{"name": "aurora_full", "n": n} for n in range(BATCH * 2 + 5)])
    deadline = time.monotonic() + 5
    while writer.counts["written"] < BATCH * 2:
        assert time.monotonic() < deadline, "the full batches were not written at once"
        time.sleep(0.01)
    time.sleep(0.2)
    assert writer.counts["written"] == BATCH * 2
    assert db.analyticsEvents.count_documents({"name": "aurora_full"}) == BATCH * 2
    writer.close()
    assert db.analyticsEvents.count_documents({"name": "aurora_full"}) == BATCH * 2 + 5
    assert sorted(size for name, _, size, _ in inserts if name == "analyticsEvents") == [
        5, BATCH, BATCH]
