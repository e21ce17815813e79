"""Writes wait out a replica-set election; reads and health still fail fast."""

from __future__ import annotations

import time

import mongomock
import pytest
from pymongo import ReadPreference
from pymongo.errors import ServerSelectionTimeoutError

from concierge.config import Config
from concierge.db import Store
from concierge.failover import Failover


class Election:
    """A collection whose primary is gone for the first `calls` attempts."""

    def __init__(self, monkeypatch, method: str, calls: int):
        self.left, self.tries = calls, 0
        original = getattr(mongomock.Collection, method)

        def flaky(collection, *args, **kwargs):
            self.tries += 1
            if self.left:
                self.left -= 1
                raise ServerSelectionTimeoutError("No primary available for writes")
            return original(collection, *args, **kwargs)

        monkeypatch.setattr(mongomock.Collection, method, flaky)


def test_a_write_that_found_no_primary_is_sent_once_one_is_elected(monkeypatch):
    db = Failover(mongomock.MongoClient().db)
    election = Election(monkeypatch, "insert_one", calls=2)
    db.returns.insert_one({"_id": "rma-1"})
    assert election.tries == 3
    assert db.returns.count_documents({}) == 1


def test_a_write_gives_up_when_no_primary_comes_within_the_budget(monkeypatch):
    db = Failover(mongomock.MongoClient().db, budget=1.2)
    Election(monkeypatch, "update_one", calls=100)
    started = time.monotonic()
    with pytest.raises(ServerSelectionTimeoutError):
        db.orders.update_one({"_id": 1}, {"$set": {"x": 1}})
    assert time.monotonic() - started < 2


def test_a_read_fails_at_once(monkeypatch):
    db = Failover(mongomock.MongoClient().db)
    election = Election(monkeypatch, "find_one", calls=1)
    with pytest.raises(ServerSelectionTimeoutError):
        db.orders.find_one({"_id": 1})
    assert election.tries == 1


URI = "mongodb://127.0.0.1:1/?readPreference=secondary&socketTimeoutMS=10000"


def test_the_app_reads_the_primary_whatever_the_uri_asks():
    store = Store(Config(MONGO_URI=URI))  # connect=False: no server needed to ask
    assert store.database().client.read_preference == ReadPreference.SECONDARY
    assert store.database().read_preference == ReadPreference.PRIMARY
    store.close()


def test_no_socket_timeout_cuts_index_builds_or_reports_short():
    store = Store(Config(MONGO_URI="mongodb://127.0.0.1:1/"))
    options = store.database().client.options
    assert options.pool_options.socket_timeout is None
    assert options.server_selection_timeout == 2  # /health answers within 3 s
    assert options.retry_writes is True
    store.close()
