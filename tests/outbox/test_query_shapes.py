"""Every query of queueing, claiming, finishing and retrying is served by a declared index."""

import pytest

from concierge import outbox
from concierge.outbox import worker

from ..support.queries import unserved
from .conftest import subscribe_and_ship


@pytest.fixture
def config(config):
    return {**config, "OUTBOX_WORKER": False}  # delivered by hand, under the log


def test_outbox_queries_are_index_backed(app, client, db, query_log, hook):
    hook.failures = 1
    message_id = subscribe_and_ship(app, client, db)
    with app.app_context():
        settings = app.config["CONCIERGE"]
        worker.deliver_due(settings, db, ["webhook", "email"])
        db.outbox.update_many({"eventId": message_id}, {"$set": {"status": "failed"}})
        outbox.retry(db, message_id)
    methods = {(q["collection"], q["method"]) for q in query_log.queries}
    assert {("outbox", "find_one_and_update"), ("outbox", "update_one"),
            ("outbox", "update_many"), ("orderSubscriptions", "find")} <= methods
    assert unserved(query_log) == []
