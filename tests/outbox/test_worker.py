"""Delivery guarantees: retried until the receiver is back, once per message, never blocking."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from concierge import outbox
from concierge.outbox import repository, worker

from .servers import wait_for

API = "/api/concierge"
TICKET = {"name": "Avery", "email": "avery.stone@example.com", "topic": "fit",
          "message": "Which size for the linen dress?"}


def open_tickets(client, count: int) -> list[str]:
    numbers = []
    for n in range(count):
        response = client.post(f"{API}/stylist-tickets", json={**TICKET, "message": f"#{n}"})
        assert response.status_code == 201
        numbers.append(response.get_json()["ticketNumber"])
    return numbers


def webhook_docs(db) -> list[dict]:
    return list(db.outbox.find({"channel": "webhook"}))


def test_receiver_down_for_a_while_gets_everything_after_it_is_back(client, db, hook, mail):
    hook.down()
    numbers = open_tickets(client, 3)
    # Attempts fail (connection refused) and are put back with backoff, not lost.
    wait_for(lambda: all(d["attempts"] >= 2 and d["status"] == "pending"
                         for d in webhook_docs(db)), timeout=20)
    assert all("ConnectionError" in d["lastError"] for d in webhook_docs(db))
    hook.up()
    wait_for(lambda: all(d["status"] == "delivered" for d in webhook_docs(db)), timeout=20)
    received = {body["data"]["ticketNumber"] for body in hook.bodies()}
    assert received == set(numbers)
    assert sorted(h["webhook-id"] for h, _ in hook.received) == \
        sorted(d["eventId"] for d in webhook_docs(db))
    wait_for(lambda: len(mail.messages) == 3)  # the emails never waited for the webhook


def test_a_failing_receiver_gets_the_same_webhook_id_on_every_retry(client, db, hook):
    hook.failures = 2
    (number,) = open_tickets(client, 1)
    wait_for(lambda: db.outbox.find_one({"channel": "webhook", "status": "delivered"}),
             timeout=20)
    ids = [headers["webhook-id"] for headers, _ in hook.received]
    assert len(ids) == 3
    assert len(set(ids)) == 1
    assert {body["data"]["ticketNumber"] for body in hook.bodies()} == {number}
    doc = db.outbox.find_one({"channel": "webhook"})
    assert (doc["attempts"], doc["_id"]) == (3, ids[0])


def test_the_shoppers_request_never_waits_for_a_stuck_receiver(client, db, hook):
    release = threading.Event()
    hook.hold = release  # the receiver keeps the first delivery's connection open
    try:
        first = client.post(f"{API}/stylist-tickets", json=TICKET)
        wait_for(lambda: db.outbox.find_one({"channel": "webhook", "status": "sending"}))
        # Delivery is stuck inside the receiver, and the next shopper is answered anyway.
        second = client.post(f"{API}/stylist-tickets", json=TICKET)
        assert (first.status_code, second.status_code) == (201, 201)
        assert not release.is_set()
    finally:
        release.set()
    wait_for(lambda: len(hook.received) == 2)


def test_two_sets_of_workers_on_one_store_send_each_message_once(app, client, db, hook,
                                                                 mail):
    # As two server processes on one MongoDB: each runs its own delivery loops.
    other = worker.Workers(app)
    other.ensure_started()
    try:
        numbers = open_tickets(client, 30)
        wait_for(lambda: len(hook.received) >= 30 and len(mail.messages) >= 30, timeout=20)
        # A worker marks a message delivered after its receiver answered: wait for the marks.
        wait_for(lambda: db.outbox.count_documents({"status": "delivered"}) >= 60)
    finally:
        other.stop()
    ids = [headers["webhook-id"] for headers, _ in hook.received]
    assert len(ids) == len(set(ids)) == 30
    assert sorted(m["Subject"].rsplit(" ", 1)[1] for m in mail.messages) == sorted(numbers)
    assert db.outbox.count_documents({"status": "delivered"}) == 60


class TestByHand:
    """The worker's steps driven directly, on the test clock."""

    @pytest.fixture
    def config(self, config):
        return {**config, "OUTBOX_WORKER": False}

    def queue(self, app, db, count: int) -> list[str]:
        with app.app_context():
            return [outbox.enqueue(db, "csat.low_rating", {"csatId": f"c{n}"})
                    for n in range(count)]

    def test_two_workers_send_each_message_once(self, app, db, hook):
        ids = self.queue(app, db, 40)
        settings = app.config["CONCIERGE"]

        def work(_):
            with app.app_context():
                return worker.deliver_due(settings, db, ["webhook"])

        with ThreadPoolExecutor(4) as pool:
            results = list(pool.map(work, range(4)))
        assert sum(r["delivered"] for r in results) == 40
        assert all(r["delivered"] < 40 for r in results)  # the work was shared
        assert sorted(h["webhook-id"] for h, _ in hook.received) == sorted(ids)

    def test_a_dead_workers_claim_is_taken_over_after_its_lease(self, app, db, hook, clock):
        (message_id,) = self.queue(app, db, 1)
        settings, at = app.config["CONCIERGE"], clock.freeze()
        assert repository.claim_due(db, ["webhook"], at, at + worker.LEASE, "dead")
        with app.app_context():
            assert worker.deliver_due(settings, db, ["webhook"])["delivered"] == 0
            clock.advance(worker.LEASE + timedelta(seconds=1))
            assert worker.deliver_due(settings, db, ["webhook"])["delivered"] == 1
        assert [h["webhook-id"] for h, _ in hook.received] == [message_id]

    def test_backoff_grows_and_a_message_failing_too_long_is_marked_failed(
            self, app, db, hook, clock):
        hook.failures = 1000
        (message_id,) = self.queue(app, db, 1)
        settings = app.config["CONCIERGE"]
        clock.freeze()
        waits = []
        with app.app_context():
            for _ in range(5):
                counts = worker.deliver_due(settings, db, ["webhook"])
                assert counts["retrying"] == 1
                doc = db.outbox.find_one({"_id": message_id})
                waits.append((doc["nextAttemptAt"] - clock()).total_seconds())
                clock.set(doc["nextAttemptAt"])
            clock.advance(hours=settings.OUTBOX_GIVE_UP_HOURS)
            assert worker.deliver_due(settings, db, ["webhook"])["failed"] == 1
        base = settings.OUTBOX_RETRY_BASE_SECONDS
        for attempt, wait in enumerate(waits):
            assert base * 2 ** attempt / 2 <= wait <= base * 2 ** attempt
        doc = db.outbox.find_one({"_id": message_id})
        assert (doc["status"], doc["lastError"]) == ("failed", "receiver answered HTTP 500")
        # Nothing picks a failed message up again until someone retries it.
        with app.app_context():
            assert not any(worker.deliver_due(settings, db, ["webhook"]).values())
            hook.failures = 0
            assert outbox.retry(db, message_id) == 1
            assert worker.deliver_due(settings, db, ["webhook"])["delivered"] == 1
        assert {h["webhook-id"] for h, _ in hook.received} == {message_id}

    def test_emails_wait_until_smtp_is_configured_then_go_out(self, app, client, db, mail):
        app.config["CONCIERGE"] = app.config["CONCIERGE"].with_overrides(
            {"CONCIERGE_SMTP_URL": ""})
        assert client.get(f"{API}/health").get_json()["mail"] == "not_configured"
        open_tickets(client, 2)
        assert worker.channels(app.config["CONCIERGE"]) == ["webhook"]
        settings = app.config["CONCIERGE"].with_overrides({"CONCIERGE_SMTP_URL": mail.url})
        with app.app_context():
            assert worker.deliver_due(settings, db, ["email"])["delivered"] == 2
        assert len(mail.messages) == 2


@pytest.mark.parametrize("attempts", [1, 2, 5, 20])
def test_backoff_is_jittered_between_half_and_all_of_the_doubled_wait(app, attempts):
    settings = app.config["CONCIERGE"]
    full = min(settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** (attempts - 1),
               settings.OUTBOX_RETRY_CAP_SECONDS)
    waits = {worker.backoff(settings, attempts).total_seconds() for _ in range(50)}
    assert all(full / 2 <= w <= full for w in waits)
    assert len(waits) > 1


def test_a_gunicorn_worker_starts_delivering_before_any_request(app):
    from types import SimpleNamespace

    from concierge import gunicorn_conf

    gunicorn_conf.post_worker_init(SimpleNamespace(wsgi=app))
    threads = app.extensions["concierge_outbox"].threads
    assert sorted(t.name for t in threads) == ["outbox-email", "outbox-webhook"]
    assert all(t.is_alive() for t in threads)
