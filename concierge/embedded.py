"""The embedded store: mongomock under one lock, with a TTL monitor and equality lookups."""

from __future__ import annotations

import copy
import itertools
import logging
import threading
import weakref
from datetime import datetime

import bson
import mongomock
from bson import ObjectId
from mongomock import helpers as mongomock_helpers
from mongomock import store as mongomock_store
from mongomock.collection import Collection, Cursor
from mongomock.command_cursor import CommandCursor
from mongomock.filtering import filter_applies

from . import mongomock_compat  # noqa: F401 - bulk_write on the embedded store

log = logging.getLogger(__name__)

TTL_MONITOR_SECONDS = 60  # how often MongoDB's TTL monitor runs
_EPOCHS = itertools.count()  # one number per collection store ever made in this process

_WRAPPED = (mongomock.Collection, mongomock.Database)


class Locked:
    """Run every call of the wrapped mongomock object under one process lock.

    mongomock's unique-index check and its insert are separate steps, and its
    cursors iterate live dicts; real MongoDB makes each single-document write
    atomic.  Serialising calls gives the embedded store the same guarantees,
    so the unique indexes carry every rule here exactly as in production.
    """

    def __init__(self, target, lock: threading.RLock, observers: list, journal=None):
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_lock", lock)
        object.__setattr__(self, "_observers", observers)
        object.__setattr__(self, "_journal", journal)  # durable.Journal, None in memory

    def __getattr__(self, name):
        attr = getattr(self._target, name)
        if not callable(attr) or isinstance(attr, _WRAPPED):
            return self._wrap(attr)

        def call(*args, **kwargs):
            for observe in self._observers:
                observe(self._target, name, args, kwargs)
            journal = self._journal
            with self._lock:
                try:
                    result = attr(*args, **kwargs)
                finally:  # a failed write may have changed documents too (insert_many)
                    staged = journal.stage() if journal is not None else 0
                if isinstance(result, Cursor):
                    return _Cursor(result, self._lock, self._target, self._observers)
                if isinstance(result, CommandCursor):
                    return iter(list(result))
            if staged:
                journal.settle(staged)  # outside the lock: an fsync never holds up reads
            return self._wrap(result)

        return call

    def __getitem__(self, name):
        return self._wrap(self._target[name])

    def _wrap(self, value):
        if isinstance(value, _WRAPPED):
            return Locked(value, self._lock, self._observers, self._journal)
        return value

    @property
    def name(self):
        return self._target.name


class _Cursor:
    """A find() cursor whose chained calls and iteration run under the lock."""

    def __init__(self, cursor, lock, collection, observers):
        self._cursor, self._lock = cursor, lock
        self._collection, self._observers = collection, observers

    def __getattr__(self, name):
        attr = getattr(self._cursor, name)

        def call(*args, **kwargs):
            for observe in self._observers:
                observe(self._collection, name, args, kwargs)
            with self._lock:
                result = attr(*args, **kwargs)
            return self if result is self._cursor else result

        return call

    def __iter__(self):
        with self._lock:
            return iter(list(self._cursor))


ABSENT = object()  # what a transaction restores for a document that did not exist


class Undo:
    """The documents an open transaction changed, as they were before it."""

    def __init__(self):
        self._before: dict = {}  # (collection store, key) → copy or ABSENT, first change

    def note(self, store, key) -> None:
        """Keep the document as it is before its first change in the transaction."""
        if (store, key) not in self._before:
            self._before[(store, key)] = store.original(key)

    def rollback(self) -> None:
        """Put every changed document back as it was (newest change undone first)."""
        for (store, key), doc in reversed(list(self._before.items())):
            store.put_back(key, doc)


class Watch:
    """Who hears of each document change: the disk's journal, and an open transaction."""

    def __init__(self, journal=None):
        self.journal = journal  # durable.Journal, None in memory
        self.undo: Undo | None = None

    def before(self, store, key) -> None:
        """Tell an open transaction that a document is about to change."""
        if self.undo is not None:
            self.undo.note(store, key)

    def after(self, store, key) -> None:
        """Tell the journal that a document changed."""
        if self.journal is not None:
            self.journal.touch(store, key)

    def dropped(self, store) -> None:
        """Tell the journal that a collection was emptied."""
        if self.journal is not None:
            self.journal.drop(store)


class _CollectionStore(mongomock_store.CollectionStore):
    """A mongomock collection that reads only the documents an equality can match.

    mongomock has no indexes: every query scanned the whole collection (an
    order lookup took 0.5 ms with 5 orders, 4.3 ms with 10,000), and so did
    every write's unique-index check (importing 10,000 orders took 65 s).
    Here a filter's equality on a top-level field (a string or ObjectId, alone
    or in `$in`) picks its candidates from a map of that field's values, built
    on the field's first query and kept up to date by every write; mongomock's
    own matcher then decides, so answers are exactly those of a scan.  TTL
    indexes delete in a sweep, as MongoDB's monitor does, not by a scan on each
    access (reads compare the dates themselves).
    """

    def __init__(self, name, db_name: str = "", watch: Watch | None = None):
        super().__init__(name)
        self.db_name, self.watch = db_name, watch or Watch()
        self._maps: dict[str, dict] = {}  # field → value → {id: None}
        self._indexed: dict = {}  # id → {field: the values it is mapped under}
        self._order: dict = {}  # id → insertion number, while there are maps: scan order
        self._next = 0
        self._floating: set = set()  # ids being updated in place: always candidates
        # Bumped by every insert, delete, drop and update (tried, even matching nothing):
        # an answer kept with the count is still right while the count is the same.
        self.writes = 0
        self.epoch = next(_EPOCHS)  # tells this store from a later one of the same name

    def __setitem__(self, key, val):
        self.writes += 1
        self.watch.before(self, key)
        super().__setitem__(key, val)
        self.watch.after(self, key)
        if self._maps:
            if key not in self._order:
                self._order[key], self._next = self._next, self._next + 1
            self.reindex([key])

    def __delitem__(self, key):
        self.writes += 1
        self.watch.before(self, key)
        self._unmap(key)
        super().__delitem__(key)
        self._order.pop(key, None)
        self.watch.after(self, key)

    def drop(self):
        self.writes += 1
        self.before_all()
        super().drop()
        self.forget()
        self.watch.dropped(self)

    def restore(self, doc: dict) -> None:
        """Put a document read back from disk, as it was stored (nothing to write again)."""
        key = doc["_id"]
        self._documents[mongomock_helpers.hashdict(key) if isinstance(key, dict) else key] = doc
        self.writes += 1

    def encoded(self, key) -> bytes | None:
        """Return the stored document as BSON, or None when it is gone."""
        doc = self._documents.get(key)
        return None if doc is None else bson.encode(doc)

    def before_all(self) -> None:
        """Keep every document as it is now, for an open transaction to restore."""
        for key in list(self._documents):
            self.watch.before(self, key)

    def touch_all(self) -> None:
        """Note every document as changed (a write whose changes cannot be told apart)."""
        for key in list(self._documents):
            self.watch.after(self, key)

    def original(self, key):
        """Return a copy of the document as stored now (ABSENT when there is none)."""
        doc = self._documents.get(key)
        return ABSENT if doc is None else copy.deepcopy(doc)

    def put_back(self, key, doc) -> None:
        """Restore a document to a copy original() made (an aborted transaction)."""
        if doc is ABSENT:
            if key in self._documents:
                del self[key]
        else:
            self[key] = doc

    def forget(self) -> None:
        """Drop every value map; the next query of a field maps it again."""
        self._maps, self._indexed, self._order, self._floating = {}, {}, {}, set()

    def float(self, ids: list) -> None:
        """Take documents out of the maps while an update changes them in place."""
        self.writes += 1
        for doc_id in ids:
            self.watch.before(self, doc_id)
            self._unmap(doc_id)
            self.watch.after(self, doc_id)
        self._floating.update(ids)

    def reindex(self, ids) -> None:
        """Map the documents under their current values."""
        for doc_id in ids:
            self._floating.discard(doc_id)
            self._unmap(doc_id)
            doc = self._documents.get(doc_id)
            if doc is not None and self._maps:
                self._indexed[doc_id] = {name: self._map(doc_id, doc, name, by_value)
                                         for name, by_value in self._maps.items()}

    def candidates(self, spec) -> list | None:
        """Return the documents an equality in `spec` allows, or None to scan them all."""
        best = None
        for name, wanted in spec.items():
            values = None if name.startswith("$") or "." in name else _looked_up(wanted)
            if values is not None:
                by_value = self._values_of(name)
                ids = {i: None for value in values for i in by_value.get(value, ())}
                if best is None or len(ids) < len(best):
                    best = ids
        if best is None:
            return None
        ids = [*best, *(i for i in self._floating if i not in best)]
        if len(ids) > 1:  # in the collection's order, as a scan returns them
            ids.sort(key=self._order.__getitem__)
        return [self._documents[i] for i in ids]

    def _values_of(self, name: str) -> dict:
        if name not in self._maps:
            if not self._maps:  # a collection nobody queries this way keeps no maps at all
                self._order = {doc_id: n for n, doc_id in enumerate(self._documents)}
                self._next = len(self._order)
            by_value = self._maps[name] = {}
            for doc_id, doc in self._documents.items():
                self._indexed.setdefault(doc_id, {})[name] = self._map(
                    doc_id, doc, name, by_value)
        return self._maps[name]

    @staticmethod
    def _map(doc_id, doc: dict, name: str, by_value: dict) -> tuple:
        value = doc.get(name)
        values = tuple(v for v in (value if isinstance(value, list) else (value,))
                       if isinstance(v, _LOOKED_UP))
        for one in values:
            by_value.setdefault(one, {})[doc_id] = None
        return values

    def _unmap(self, doc_id) -> None:
        for name, values in self._indexed.pop(doc_id, {}).items():
            by_value = self._maps.get(name, {})
            for one in values:
                holders = by_value.get(one)
                if holders is not None:
                    holders.pop(doc_id, None)
                    if not holders:
                        del by_value[one]

    def _remove_expired_documents(self):
        pass  # not on every access: sweep_expired() runs from the TTL monitor

    def sweep_expired(self) -> int:
        """Delete the documents past their TTL; return how many went."""
        before = len(self._documents)
        super()._remove_expired_documents()
        return before - len(self._documents)


# Types whose equality MongoDB and Python agree on (numbers differ: 1 == 1.0 == Decimal128).
_LOOKED_UP = (str, ObjectId)


def _looked_up(wanted) -> list | None:
    """Return the values an equality condition matches, or None when it is not one."""
    if isinstance(wanted, _LOOKED_UP):
        return [wanted]
    if isinstance(wanted, dict) and len(wanted) == 1:
        (operator, value), = wanted.items()
        if operator == "$eq" and isinstance(value, _LOOKED_UP):
            return [value]
        if (operator == "$in" and isinstance(value, (list, tuple))
                and all(isinstance(v, _LOOKED_UP) for v in value)):
            return list(value)
    return None


def _iter_documents(self, spec):
    """Match the candidates of an equality filter, else scan as mongomock does."""
    store = self._store
    if isinstance(store, _CollectionStore) and isinstance(spec, dict):
        found = store.candidates(spec)
        if found is not None:
            if not found:
                filter_applies(spec, {})  # a bad filter is refused even when nothing matches
            return (doc for doc in found if filter_applies(spec, doc))
    return _scan(self, spec)


def _update(self, spec, *args, **kwargs):
    """Update as mongomock does (in place), keeping the value maps right meanwhile.

    The documents the update may change float out of the maps (every query,
    the unique-index checks included, considers them) and are mapped again
    under their new values afterwards.
    """
    store = self._store
    if not isinstance(store, _CollectionStore):
        return _mongomock_update(self, spec, *args, **kwargs)
    try:  # the documents as the update will find them (it compares naive datetimes)
        matched = [doc["_id"] for doc in _iter_documents(self, patch_datetime_awareness(spec))]
    except Exception:  # noqa: BLE001 - the update itself refuses a bad filter, as mongomock does
        store.before_all()
        try:
            return _mongomock_update(self, spec, *args, **kwargs)
        finally:
            store.forget()
            store.writes += 1
            store.touch_all()
    store.float(matched)
    try:
        return _mongomock_update(self, spec, *args, **kwargs)
    finally:
        store.reindex(matched)


# Values a read can hand out as they are stored: nothing can change them in place.
_IMMUTABLE = frozenset({str, int, float, bool, type(None), ObjectId})


def patch_datetime_awareness(value):
    """Make dates naive UTC at millisecond precision, as mongomock does, plain types first.

    mongomock runs it on every document written and every filter read, and
    tries OrderedDict before dict for each value (a third of an insert).  Dates
    become naive UTC at millisecond precision, as MongoDB stores them; every
    other type still goes mongomock's way.
    """
    kind = type(value)
    if kind in _IMMUTABLE:
        return value
    if kind is dict:
        return {key: patch_datetime_awareness(item) for key, item in value.items()}
    if kind is list:
        return [patch_datetime_awareness(item) for item in value]
    if kind is datetime:
        millisecond = value.microsecond // 1000 * 1000
        if value.tzinfo:
            return (value - value.utcoffset()).replace(tzinfo=None, microsecond=millisecond)
        return value.replace(microsecond=millisecond)
    return _mongomock_patch(value)


def _aware_copy(value):
    """Copy a stored value as a tz-aware read returns it: datetimes in UTC, tuples as lists."""
    kind = type(value)
    if kind in _IMMUTABLE:
        return value
    if isinstance(value, dict):
        return {key: _aware_copy(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_aware_copy(item) for item in value]
    if isinstance(value, datetime):
        return value.replace(tzinfo=mongomock_helpers.utc)
    return copy.copy(value)


def _copy_only_fields(self, doc, fields, container):
    """Copy a whole document and make its dates aware in one walk, for a tz-aware read.

    mongomock copies every value of a document it returns, then walks the copy
    again to give its dates a timezone (a ninth of an order lookup's CPU); a
    projection or a naive client still goes mongomock's way.
    """
    if fields is None and container is dict and self.codec_options.tz_aware:
        return _aware_copy(doc)
    copied = _mongomock_copy(self, doc, fields, container)
    if self.codec_options.tz_aware:
        return mongomock_helpers.make_datetime_timezone_aware_in_document(copied)
    return copied


def _compute_results(self, with_limit_and_skip=False):
    """Compute a cursor's results as mongomock does, without its second walk over dates."""
    if not self._results or self._factory_last_generated_results != self._factory:
        self._results = list(self._factory())
        self._factory_last_generated_results = self._factory
    results = self._results
    if with_limit_and_skip:
        results = results[self._skip:]
        if self._limit:
            results = results[:abs(self._limit)]
    return results


_scan, _mongomock_update = Collection._iter_documents, Collection._update
_mongomock_copy = Collection._copy_only_fields
_mongomock_patch = mongomock_helpers.patch_datetime_awareness_in_document
mongomock_helpers.patch_datetime_awareness_in_document = patch_datetime_awareness
Collection._iter_documents, Collection._update = _iter_documents, _update
Collection._copy_only_fields, Cursor._compute_results = _copy_only_fields, _compute_results


class _DatabaseStore(mongomock_store.DatabaseStore):
    def __init__(self, name: str = "", watch: Watch | None = None):
        super().__init__()
        self.name, self.watch = name, watch

    def __getitem__(self, col_name):
        if col_name not in self._collections:
            self._collections[col_name] = _CollectionStore(col_name, self.name, self.watch)
        return self._collections[col_name]

    def rename(self, name, new_name):
        raise NotImplementedError("the embedded store does not rename collections")


class ServerStore(mongomock_store.ServerStore):
    """Every database of the embedded store; with a journal, each change goes to disk."""

    def __init__(self, journal=None):
        super().__init__()
        self.journal = journal
        self.watch = Watch(journal)

    def __getitem__(self, db_name):
        if db_name not in self._databases:
            self._databases[db_name] = _DatabaseStore(db_name, self.watch)
        return self._databases[db_name]

    def place(self, db_name: str, collection: str, doc: dict) -> None:
        """Put a document read back from disk into its collection."""
        self[db_name][collection].restore(doc)


def ttl_monitor(store_ref: weakref.ref, stop: threading.Event) -> None:
    """Sweep expired documents every TTL_MONITOR_SECONDS until the store is gone."""
    while not stop.wait(TTL_MONITOR_SECONDS):
        store = store_ref()
        if store is None:
            return
        try:
            store.expire_now()
        except Exception:  # the monitor must outlive one bad sweep
            log.exception("TTL sweep failed")
        del store  # hold no reference while sleeping, so an unused store can go
