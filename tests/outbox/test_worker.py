"""Delivery guarantees: retried until the receiver is back, once per message, never blocking."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from concierge import outbox
from concierge.clock import now
from concierge.outbox import repository, worker

from ..support import subscribing
from .conftest import enqueue_order_update
from .servers import AnsweringReceiver, wait_for

API = "/api/concierge"
TICKET = {"name": "Avery", "email": "avery.stone@example.com", "topic": "fit",
          "message": "Which size for the linen dress?"}


def open_tickets(client, count: int) -> list[str]:
    numbers = []
    for n in range(count):
        # Each its own address: emails to one address are budgeted per hour.
        response = client.post(f"{API}/stylist-tickets", json={
            **TICKET, "message": f"#{n}", "email": f"avery.{n}@example.com"})
        assert response.status_code == 201
        numbers.append(response.get_json()["ticketNumber"])
    return numbers


def webhook_docs(db) -> list[dict]:
    return list(db.outbox.find({"channel": "webhook"}))


@pytest.mark.slow  # waits on the delivery threads in real time
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


@pytest.mark.slow  # waits on the delivery threads in real time
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


@pytest.mark.slow  # waits on the delivery threads in real time
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

    def deliver(self, app, db, settings=None) -> dict:
        with app.app_context():
            return worker.deliver_due(settings or app.config["CONCIERGE"], db, ["webhook"])

    def test_a_delivery_records_when_it_went_out_and_warns_of_nothing(self, app, db, hook,
                                                                     clock, caplog):
        (message_id,) = self.queue(app, db, 1)
        at = clock.freeze()
        assert self.deliver(app, db)["delivered"] == 1
        doc = db.outbox.find_one({"_id": message_id})
        assert (doc["status"], doc["deliveredAt"], doc["firstAttemptAt"]) == (
            "delivered", at, at)
        assert "leaseId" not in doc
        assert [r for r in caplog.records if r.name == worker.__name__] == []

    def test_the_longest_due_delivery_goes_first(self, app, db, hook, clock):
        start = clock.freeze()
        ids = []
        for late in (2, 1, 0):  # queued in the reverse of their due order
            clock.set(start + timedelta(seconds=late))
            ids += self.queue(app, db, 1)
        clock.set(start + timedelta(seconds=2))
        assert self.deliver(app, db)["delivered"] == 3
        assert [h["webhook-id"] for h, _ in hook.received] == ids[::-1]

    @pytest.mark.parametrize(("early", "outcome", "status"), [
        (timedelta(milliseconds=1), "retrying", "pending"), (timedelta(0), "failed", "failed")])
    def test_a_delivery_fails_for_good_once_its_give_up_period_is_over(
            self, app, db, hook, clock, early, outcome, status):
        hook.failures = 1000
        (message_id,) = self.queue(app, db, 1)
        settings = app.config["CONCIERGE"]
        first = clock.freeze()
        assert self.deliver(app, db)["retrying"] == 1
        hook.down()  # the last attempt fails another way
        at = clock.set(first + timedelta(hours=settings.OUTBOX_GIVE_UP_HOURS) - early)
        assert self.deliver(app, db)[outcome] == 1
        doc = db.outbox.find_one({"_id": message_id})
        assert (doc["status"], doc.get("failedAt")) == (status,
                                                        at if status == "failed" else None)
        assert doc["lastError"].startswith("ConnectionError: ")  # the last attempt's reason

    def test_each_failed_attempt_and_the_final_failure_are_logged(self, app, db, hook, clock,
                                                                  caplog):
        hook.failures = 1000
        (message_id,) = self.queue(app, db, 1)
        clock.freeze()
        assert self.deliver(app, db)["retrying"] == 1
        clock.advance(hours=app.config["CONCIERGE"].OUTBOX_GIVE_UP_HOURS)
        assert self.deliver(app, db)["failed"] == 1
        reason = "receiver answered HTTP 500"
        assert [r.getMessage() for r in caplog.records if r.name == worker.__name__] == [
            f"outbox {message_id} attempt 1 failed: {reason}",
            f"outbox {message_id} (csat.low_rating) failed for good: {reason}"]

    def test_a_worker_whose_lease_ran_out_leaves_the_outcome_to_the_one_that_took_over(
            self, app, db, hook, clock, caplog):
        (message_id,) = self.queue(app, db, 1)
        start = clock.freeze()
        refusing = AnsweringReceiver(500)
        other = app.config["CONCIERGE"].with_overrides({"CONCIERGE_WEBHOOK_URL": refusing.url})
        hook.hold = threading.Event()  # the first worker's send hangs in the receiver
        try:
            with ThreadPoolExecutor(1) as pool:
                stuck = pool.submit(self.deliver, app, db)
                wait_for(lambda: db.outbox.find_one({"status": "sending"}))
                clock.set(start + worker.LEASE - timedelta(milliseconds=1))
                assert not any(self.deliver(app, db, other).values())  # still leased
                clock.set(start + worker.LEASE)
                assert self.deliver(app, db, other)["retrying"] == 1  # taken over, refused
                hook.hold.set()
                assert stuck.result()["delivered"] == 1
        finally:
            hook.hold.set()
            refusing.down()
        doc = db.outbox.find_one({"_id": message_id})
        assert (doc["status"], doc["lastError"]) == ("pending", "receiver answered HTTP 500")
        assert [r.getMessage() for r in caplog.records if r.name == worker.__name__] == [
            f"outbox {message_id} attempt 2 failed: receiver answered HTTP 500",
            f"outbox {message_id} delivered after its lease ran out"]

    def test_a_retried_delivery_starts_a_fresh_give_up_period(self, app, db, hook, clock):
        hook.failures = 1000
        (message_id,) = self.queue(app, db, 1)
        settings = app.config["CONCIERGE"]
        clock.freeze()
        with app.app_context():
            assert worker.deliver_due(settings, db, ["webhook"])["retrying"] == 1
            waiting = db.outbox.find_one({"_id": message_id})
            assert "leaseId" not in waiting  # a delivery waiting for its retry holds no lease
            failed_at = clock.advance(hours=settings.OUTBOX_GIVE_UP_HOURS)
            assert worker.deliver_due(settings, db, ["webhook"])["failed"] == 1
            assert db.outbox.find_one({"_id": message_id})["failedAt"] == failed_at
            retried_at = clock.advance(hours=1)
            assert outbox.retry(db, message_id) == 1
            retried = db.outbox.find_one({"_id": message_id})
            assert (retried["status"], retried["retriedAt"], retried["nextAttemptAt"]) == (
                "pending", retried_at, retried_at)
            assert "failedAt" not in retried
            # One more failure is retried again: the give-up period counts from the retry.
            assert worker.deliver_due(settings, db, ["webhook"])["retrying"] == 1
            assert db.outbox.find_one({"_id": message_id})["firstAttemptAt"] == retried_at

    def test_a_skipped_delivery_records_when_and_why(self, app, client, db, mail, clock):
        subscribed = {"subscriptionId": subscribing.subscribe(client, db, "a@example.com")}
        db.outbox.delete_many({"type": "order_subscription.confirm"})
        with app.app_context():
            message_id = enqueue_order_update(db, {
                "orderNumber": "GG-11982", "status": "shipped", "at": "2030-01-01T00:00:00Z",
                "description": "Left the warehouse"})
        client.delete(f"{API}/order-subscriptions/{subscribed['subscriptionId']}")
        at = clock.freeze()
        with app.app_context():
            assert worker.deliver_due(app.config["CONCIERGE"], db, ["email"])["skipped"] == 1
        email = db.outbox.find_one({"eventId": message_id, "channel": "email"})
        assert (email["status"], email["skippedAt"], email["lastError"]) == (
            "skipped", at, "the subscriber cancelled before this update went out")
        assert mail.messages == []

    def test_a_long_failure_reason_is_kept_to_its_first_500_characters(self, app, db, hook):
        hook.down()
        (message_id,) = self.queue(app, db, 1)
        long_url = hook.url + "?" + "x" * 600  # the refused connection's message names it
        settings = app.config["CONCIERGE"].with_overrides({"CONCIERGE_WEBHOOK_URL": long_url})
        with app.app_context():
            assert worker.deliver_due(settings, db, ["webhook"])["retrying"] == 1
        reason = db.outbox.find_one({"_id": message_id})["lastError"]
        assert reason.startswith("ConnectionError: ")
        assert len(reason) == 500

    def test_emails_wait_until_smtp_is_configured_then_go_out(self, app, client, db, mail):
        token = "worker-test-admin-token-0123456789"
        app.config["CONCIERGE"] = app.config["CONCIERGE"].with_overrides(
            {"CONCIERGE_SMTP_URL": ""})
        app.config["CONCIERGE_ADMIN_TOKEN"] = token  # /health tells what is configured to it
        assert client.get(f"{API}/health", headers={"Authorization": f"Bearer {token}"}
                          ).get_json()["mail"] == "not_configured"
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


def test_backoff_jitter_spreads_over_the_whole_upper_half(app):
    settings = app.config["CONCIERGE"]
    full = settings.OUTBOX_RETRY_BASE_SECONDS * 4
    waits = [worker.backoff(settings, 3).total_seconds() / full for _ in range(200)]
    # Uniform over [1/2, 1]: 200 draws all missing a tenth of it happen once in 10^19 runs.
    assert min(waits) < 0.6
    assert max(waits) > 0.9


def test_no_delivery_thread_runs_or_has_passed_before_the_first_request(app):
    workers = app.extensions["concierge_outbox"]
    assert workers.threads == []
    assert workers.passes == {}


def test_the_delivery_threads_start_once_per_process(app, client):
    workers = app.extensions["concierge_outbox"]
    workers.ensure_started()
    threads = list(workers.threads)
    for _ in range(3):
        client.get(f"{API}/health")  # every request makes sure they run
        workers.wake()
    assert workers.threads == threads
    assert all(t.is_alive() for t in threads)


def test_the_delivery_threads_never_keep_an_exiting_process_alive(app):
    workers = app.extensions["concierge_outbox"]
    workers.ensure_started()
    assert workers.threads
    assert all(t.daemon for t in workers.threads)


def test_stopping_does_not_wait_for_a_send_stuck_in_the_receiver(app, client, db, hook):
    release = threading.Event()
    hook.hold = release
    try:
        client.post(f"{API}/stylist-tickets", json=TICKET)
        wait_for(lambda: db.outbox.find_one({"channel": "webhook", "status": "sending"}))
        workers = app.extensions["concierge_outbox"]
        (sender,) = [t for t in workers.threads if t.name == "outbox-webhook"]
        # Stop gives each thread a moment; the send ends only at its 10 s read timeout.
        workers.stop(timeout=0.5)
        assert sender.is_alive()
        assert hook.received == []
    finally:
        release.set()


def test_a_bug_in_one_pass_is_logged_and_the_worker_keeps_delivering(app, client, db, hook,
                                                                     caplog):
    # A delivery the sender cannot read: no type, no data (a bug, not a refused send).
    db.outbox.insert_one({"_id": "msg_broken", "eventId": "msg_broken", "channel": "webhook",
                          "status": "pending", "attempts": 0, "nextAttemptAt": now(),
                          "createdAt": now()})
    (number,) = open_tickets(client, 1)
    wait_for(lambda: hook.received)
    assert [body["data"]["ticketNumber"] for body in hook.bodies()] == [number]
    (failure,) = [r for r in caplog.records if r.name == worker.__name__]
    assert failure.getMessage() == "outbox webhook worker pass failed"
    assert failure.exc_info[0] is KeyError


def parked(workers) -> bool:
    """Tell whether every delivery thread finished a pass: it waits for a wake or its poll."""
    return all(workers.passes.values())


class TestLongPoll:
    """Threads that poll only once an hour: nothing sent sooner was left to the poll."""

    @pytest.fixture
    def config(self, config):
        return {**config, "OUTBOX_POLL_SECONDS": 3600}

    def test_a_requests_event_wakes_the_threads_at_once(self, app, client, hook):
        workers = app.extensions["concierge_outbox"]
        workers.ensure_started()
        wait_for(lambda: parked(workers))  # idle, and the next poll is an hour away
        assert workers.passes == {"webhook": 1, "email": 1}
        (number,) = open_tickets(client, 1)
        wait_for(lambda: hook.received)
        assert hook.bodies()[0]["data"]["ticketNumber"] == number
        # Woken: a pass that sent, then one that found nothing left, then the wait.
        wait_for(lambda: workers.passes["webhook"] >= 3)

    def test_more_than_a_batch_goes_out_without_waiting_for_the_poll(self, app, db, hook):
        count = worker.BATCH + 1
        for n in range(count):  # outside a request, as another process: no wake
            outbox.enqueue(db, "csat.low_rating", {"csatId": f"c{n}"})
        app.extensions["concierge_outbox"].ensure_started()
        wait_for(lambda: len(hook.received) == count, timeout=20)
