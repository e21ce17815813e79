"""Every query of queueing, claiming, finishing and retrying is served by a declared index."""

import pytest

from concierge import outbox
from concierge.outbox import worker

from ..queries import unserved


@pytest.fixture
def config(config):
    return {**config, "OUTBOX_WORKER": False}  # delivered by hand, under the log


def test_outbox_queries_are_index_backed(app, client, db, query_log, hook):
    hook.failures = 1
    client.post("/api/concierge/order-subscriptions", json={
        "orderNumber": "GG-11982", "postalCode": "10001", "channel": "email",
        "destination": "a@example.com"})
    with app.app_context():
        message_id = outbox.enqueue(db, "order.updated", {
            "orderNumber": "GG-11982", "status": "shipped", "at": "2030-01-01T00:00:00Z",
            "description": "Left the warehouse"})
        settings = app.config["CONCIERGE"]
        worker.deliver_due(settings, db, ["webhook", "email"])
        db.outbox.update_many({"eventId": message_id}, {"$set": {"status": "failed"}})
        outbox.retry(db, message_id)
    methods = {(q["collection"], q["method"]) for q in query_log.queries}
    assert {("outbox", "find_one_and_update"), ("outbox", "update_one"),
            ("outbox", "update_many"), ("orderSubscriptions", "find")} <= methods
    assert unserved(query_log) == []
