"""flask concierge deliver / retry, and moving the old agentNotifications in."""

from __future__ import annotations

import pytest

from concierge.events import now
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
