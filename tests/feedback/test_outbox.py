"""Delivery of the agent notification outbox."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from concierge.events import now
from concierge.feedback import repository
from concierge.feedback.outbox import deliver_due

CSAT = "/api/concierge/csat"


def wait_for(predicate, timeout=5.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)


def queue(db, count: int) -> list:
    at = now()
    docs = [{"csatId": f"c{i}", "sessionId": "s" * 16, "intent": "general", "rating": 1,
             "status": "pending", "attempts": 0, "nextAttemptAt": at, "createdAt": at}
            for i in range(count)]
    db.agentNotifications.insert_many(docs)
    return [d["_id"] for d in docs]


def test_failed_first_attempt_is_retried_with_backoff_then_delivered(
        app, client, db, receiver, session_headers):
    hook = receiver(failures=1)
    app.config["CONCIERGE_AGENT_WEBHOOK_URL"] = hook.url
    response = client.post(CSAT, json={"rating": 1, "intent": "returns", "comment": "Slow"},
                           headers=session_headers)
    assert response.status_code == 201
    # The background attempt right after the request hits the failing receiver.
    wait_for(lambda: db.agentNotifications.find_one({"attempts": 1, "status": "pending"}))
    note = db.agentNotifications.find_one()
    assert "500" in note["lastError"]
    assert note["nextAttemptAt"] - note["createdAt"] >= timedelta(seconds=29)
    assert deliver_due(db, hook.url, now()) == {"delivered": 0, "failed": 0}  # not due yet
    assert deliver_due(db, hook.url, now() + timedelta(minutes=1)) == {"delivered": 1,
                                                                       "failed": 0}
    note = db.agentNotifications.find_one()
    assert (note["status"], note["attempts"]) == ("delivered", 2)
    (first_headers, _), (headers, body) = hook.received
    assert headers["Idempotency-Key"] == first_headers["Idempotency-Key"] == str(note["_id"])
    assert body["csatId"] == response.get_json()["csatId"]
    assert (body["rating"], body["intent"], body["comment"]) == (1, "returns", "Slow")


def test_background_delivery_succeeds_at_once(app, client, db, receiver, session_headers):
    hook = receiver()
    app.config["CONCIERGE_AGENT_WEBHOOK_URL"] = hook.url
    client.post(CSAT, json={"rating": 2}, headers=session_headers)
    wait_for(lambda: db.agentNotifications.find_one({"status": "delivered"}))
    assert len(hook.received) == 1


def test_backoff_doubles_and_nothing_is_lost(db, receiver):
    hook = receiver(failures=100)
    (doc_id,) = queue(db, 1)
    at, waits = now(), []
    for _ in range(4):
        deliver_due(db, hook.url, at)
        note = db.agentNotifications.find_one({"_id": doc_id})
        waits.append(round((note["nextAttemptAt"] - at).total_seconds()))
        at = note["nextAttemptAt"]
    assert waits == [30, 60, 120, 240]
    assert (note["status"], note["attempts"]) == ("pending", 4)


def test_two_workers_never_send_the_same_notification(db, receiver):
    hook = receiver(delay=0.01)
    ids = queue(db, 24)
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: deliver_due(db, hook.url, now()), range(4)))
    assert sum(r["delivered"] for r in results) == 24
    sent = sorted(headers["Idempotency-Key"] for headers, _ in hook.received)
    assert sent == sorted(str(i) for i in ids)
    assert db.agentNotifications.count_documents({"status": "delivered"}) == 24


def test_claim_of_a_dead_worker_is_taken_over_after_its_lease(db, receiver):
    hook = receiver()
    (doc_id,) = queue(db, 1)
    at = now()
    assert repository.claim_due(db, at, at + timedelta(seconds=60), "dead", None)
    assert deliver_due(db, hook.url, at)["delivered"] == 0  # still leased
    assert deliver_due(db, hook.url, at + timedelta(seconds=61))["delivered"] == 1
    assert db.agentNotifications.find_one({"_id": doc_id})["status"] == "delivered"


def test_command_delivers_once(app, db, runner, receiver):
    hook = receiver()
    app.config["CONCIERGE_AGENT_WEBHOOK_URL"] = hook.url
    queue(db, 2)
    result = runner.invoke(args=["concierge", "deliver-notifications", "--once"])
    assert result.exit_code == 0, result.output
    assert "2 delivered, 0 failed" in result.output
    assert len(hook.received) == 2


def test_command_without_webhook_explains(runner):
    result = runner.invoke(args=["concierge", "deliver-notifications"])
    assert result.exit_code != 0
    assert "CONCIERGE_AGENT_WEBHOOK_URL" in result.output


def test_command_loop_keeps_polling(app, db, runner, receiver, monkeypatch):
    from concierge.feedback import commands

    hook = receiver()
    app.config["CONCIERGE_AGENT_WEBHOOK_URL"] = hook.url
    queue(db, 1)
    sleeps = []

    def sleep(seconds):
        sleeps.append(seconds)
        if len(sleeps) == 1:
            queue(db, 1)  # arrives while the loop waits
        else:
            raise KeyboardInterrupt

    monkeypatch.setattr(commands, "sleep", sleep)
    result = runner.invoke(args=["concierge", "deliver-notifications", "--loop",
                                 "--interval", "0.5"])
    assert sleeps == [0.5, 0.5]
    assert result.output.count("1 delivered, 0 failed") == 2
    assert len(hook.received) == 2


def test_background_attempt_also_retries_earlier_due_notifications(
        app, client, db, receiver, session_headers):
    hook = receiver()
    app.config["CONCIERGE_AGENT_WEBHOOK_URL"] = hook.url
    queue(db, 1)  # an earlier notification, due now
    client.post(CSAT, json={"rating": 1}, headers=session_headers)
    wait_for(lambda: db.agentNotifications.count_documents({"status": "delivered"}) == 2)
    assert len(hook.received) == 2
