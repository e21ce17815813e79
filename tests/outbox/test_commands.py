"""flask concierge deliver / retry, and moving the old agentNotifications in."""

from __future__ import annotations

import pytest

from concierge.clock import now
from concierge.outbox.migrate import migrate_agent_notifications


@pytest.mark.parametrize("args", [["deliver"], ["deliver", "--once"], ["retry", "msg_x"],
                                  ["retry", "--all-failed"]])
def test_commands_refuse_the_embedded_store(runner, args):
    result = runner.invoke(args=["concierge", *args])
    assert result.exit_code != 0
    assert "embedded store lives inside the server process" in result.output


def legacy(status: str, **extra) -> dict:
    return {"csatId": f"c-{status}", "sessionId": "s" * 16, "intent": "returns", "rating": 1,
            "comment": "slow", "reference": "RMA-1", "status": status, "attempts": 2,
            "nextAttemptAt": now(), "createdAt": now(), **extra}


@pytest.fixture
def config(config):
    return {**config, "OUTBOX_WORKER": False}


def test_agent_notifications_move_into_the_outbox_once(db):
    db.agentNotifications.insert_many([legacy("pending", lastError="HTTP 500"),
                                       legacy("delivered", deliveredAt=now())])
    assert migrate_agent_notifications(db) == 2
    assert migrate_agent_notifications(db) == 0
    assert db.agentNotifications.count_documents({}) == 0
    moved = {d["data"]["csatId"]: d for d in db.outbox.find({"type": "csat.low_rating"})}
    assert set(moved) == {"c-pending", "c-delivered"}
    pending = moved["c-pending"]
    assert (pending["status"], pending["channel"], pending["lastError"]) == (
        "pending", "webhook", "HTTP 500")
    assert pending["data"] == {"csatId": "c-pending", "rating": 1, "intent": "returns",
                               "comment": "slow", "sessionId": "s" * 16}
    assert pending["eventId"] == pending["_id"]
    assert moved["c-delivered"]["status"] == "delivered"


def test_init_db_moves_them_too(mongodb, mongodb_runner):
    mongodb.agentNotifications.insert_one(legacy("pending"))
    result = mongodb_runner.invoke(args=["concierge", "init-db"])
    assert result.exit_code == 0, result.output
    assert "1 agent notification(s) moved into the outbox" in result.output
    assert mongodb.outbox.count_documents({"data.csatId": "c-pending"}) == 1


def queue_ticket_events(app, db, count: int) -> list[str]:
    from concierge import outbox

    with app.app_context():
        return [outbox.enqueue(db, "stylist_ticket.created", {
            "ticketNumber": f"ST-{n}", "topic": "fit", "name": "Avery", "email": "a@x.example",
            "preferredContact": "email", "message": "Hello"}, email_to="a@x.example")
            for n in range(count)]


def test_deliver_once_sends_what_is_due_on_mongodb(mongodb_app, mongodb, mongodb_runner,
                                                   hook, mail):
    ids = queue_ticket_events(mongodb_app, mongodb, 3)
    result = mongodb_runner.invoke(args=["concierge", "deliver", "--once"])
    assert result.exit_code == 0, result.output
    assert "Delivering webhook, email from the outbox." in result.output
    assert "6 delivered" in result.output
    assert sorted(h["webhook-id"] for h, _ in hook.received) == sorted(ids)
    assert len(mail.messages) == 3
    again = mongodb_runner.invoke(args=["concierge", "deliver", "--once"])
    assert "delivered" not in again.output.splitlines()[-1]  # nothing was due any more


def test_deliver_without_a_channel_explains(mongodb_app, mongodb_runner):
    mongodb_app.config["CONCIERGE"] = mongodb_app.config["CONCIERGE"].with_overrides(
        {"CONCIERGE_WEBHOOK_URL": "", "CONCIERGE_WEBHOOK_SECRET": "", "CONCIERGE_SMTP_URL": ""})
    result = mongodb_runner.invoke(args=["concierge", "deliver", "--once"])
    assert result.exit_code != 0
    assert "CONCIERGE_SMTP_URL" in result.output


def test_retry_sends_failed_deliveries_again(mongodb_app, mongodb, mongodb_runner, hook):
    first, second = queue_ticket_events(mongodb_app, mongodb, 2)
    mongodb.outbox.update_many({}, {"$set": {"status": "failed"}})
    one = mongodb_runner.invoke(args=["concierge", "retry", first, "msg_nothing"])
    assert one.exit_code == 0, one.output
    assert "msg_nothing: no failed or waiting delivery has this id" in one.output
    assert "2 deliveries due again now." in one.output  # its webhook and its email
    assert mongodb.outbox.count_documents({"eventId": second, "status": "failed"}) == 2
    every = mongodb_runner.invoke(args=["concierge", "retry", "--all-failed"])
    assert "2 deliveries due again now." in every.output
    assert mongodb.outbox.count_documents({"status": "failed"}) == 0
    nothing = mongodb_runner.invoke(args=["concierge", "retry"])
    assert nothing.exit_code != 0
