"""What `retry --all-failed` picks: the oldest failed deliveries, a bounded number."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from concierge.outbox import repository


@pytest.fixture
def config(config):
    return {**config, "OUTBOX_WORKER": False}


def test_the_failed_list_is_the_oldest_ten_thousand_with_their_event_ids(app, db):
    start = datetime(2030, 1, 1, tzinfo=UTC)
    ages = list(range(10_001))
    random.Random(16).shuffle(ages)  # stored out of age order
    db.outbox.insert_many([{"_id": f"msg_{n}.1", "eventId": f"msg_{n}", "channel": "email",
                            "status": "failed", "createdAt": start + timedelta(seconds=n)}
                           for n in ages])
    db.outbox.insert_one({"_id": "msg_ok", "eventId": "msg_ok", "status": "delivered",
                          "createdAt": start - timedelta(days=1)})
    failed = repository.failed(db)
    assert [d["eventId"] for d in failed] == [f"msg_{n}" for n in range(10_000)]
    assert failed[0] == {"_id": "msg_0.1", "eventId": "msg_0"}
