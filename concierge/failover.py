"""Ride out a replica-set election: writes that found no primary wait for the next one."""

from __future__ import annotations

import functools
import logging
import time

import mongomock
from pymongo.collection import Collection
from pymongo.database import Database
from pymongo.errors import ServerSelectionTimeoutError

log = logging.getLogger(__name__)

# A replica-set election takes up to about 12 s (MongoDB's electionTimeoutMillis is 10 s).
FAILOVER_SECONDS = 15.0
PAUSE_SECONDS = 0.5

# mongomock's too: tests stand it in for MongoDB behind pymongo's client (mongomock.patch).
_DATABASES, _COLLECTIONS = (Database, mongomock.Database), (Collection, mongomock.Collection)

WRITES = frozenset({
    "insert_one", "insert_many", "update_one", "update_many", "replace_one", "delete_one",
    "delete_many", "find_one_and_update", "find_one_and_replace", "find_one_and_delete",
    "bulk_write",
})


class Failover:
    """A pymongo database or collection whose writes wait out an election.

    Server selection fails fast (two seconds) so that reads and /health answer
    within the contract's three seconds while MongoDB is down.  A write that
    could not select a primary was never sent, so trying it again cannot apply
    it twice: it is retried until FAILOVER_SECONDS have passed.  Writes cut off
    after they were sent are pymongo's retryable writes' business (once, safely).
    """

    def __init__(self, target, budget: float = FAILOVER_SECONDS):
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_budget", budget)

    def __getattr__(self, name):
        attr = getattr(self._target, name)
        if isinstance(attr, _DATABASES + _COLLECTIONS):
            return Failover(attr, self._budget)
        if name in WRITES and isinstance(self._target, _COLLECTIONS):
            return _retried(attr, self._budget)
        return attr

    def __getitem__(self, name):
        return Failover(self._target[name], self._budget)

    def __eq__(self, other):
        return self._target == getattr(other, "_target", other)

    def __hash__(self):
        return hash(self._target)

    @property
    def name(self):
        return self._target.name


def _retried(write, budget: float):
    @functools.wraps(write)
    def call(*args, **kwargs):
        deadline = time.monotonic() + budget
        while True:
            try:
                return write(*args, **kwargs)
            except ServerSelectionTimeoutError:
                if time.monotonic() + PAUSE_SECONDS >= deadline:
                    raise
                log.warning("no primary for %s: waiting for the election",
                            getattr(write, "__name__", "a write"))
                time.sleep(PAUSE_SECONDS)
    return call
