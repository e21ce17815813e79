"""The embedded store answers every query exactly as a mongomock scan, reading fewer documents."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict

import mongomock
import pytest
from bson import Binary, Decimal128, ObjectId
from mongomock.helpers import make_datetime_timezone_aware_in_document
from pymongo import UpdateOne
from pymongo.errors import PyMongoError

from concierge import embedded
from concierge.embedded import ServerStore

OID = ObjectId("65a000000000000000000001")
DOCS = [
    {"_id": 1, "key": "a", "tags": ["x", "y", "x"], "n": 1, "group": "g1"},
    {"_id": 2, "key": "b", "tags": ["y"], "n": 1.0, "group": "g1", "ref": OID},
    {"_id": 3, "key": "c", "tags": [], "n": "1", "group": "g2", "nested": {"key": "a"}},
    {"_id": 4, "tags": "x", "n": True, "group": "g2"},
    {"_id": 5, "key": None, "tags": [["x"]], "group": "g1", "ref": str(OID)},
    {"_id": 6, "key": "a2", "tags": ["z"], "group": ["g1", "g3"]},
]
FILTERS = [
    {"key": "a"},
    {"key": "missing"},
    {"key": {"$eq": "b"}},
    {"key": {"$in": ["c", "a", "c"]}},
    {"key": {"$in": ["a", None]}},
    {"key": None},
    {"key": {"$regex": "^a"}},
    {"tags": "x"},
    {"tags": {"$in": ["y", "z"]}},
    {"group": "g1"},
    {"group": "g3"},
    {"group": "g1", "key": {"$in": ["a", "b", "a2"]}},
    {"group": "g1", "n": 1},
    {"ref": OID},
    {"ref": str(OID)},
    {"nested.key": "a"},
    {"n": 1},
    {"$or": [{"key": "a"}, {"key": "b"}]},
    {"key": "a", "$or": [{"group": "g2"}, {"n": 1}]},
    {},
]


def collections():
    """Return the same documents in a plain mongomock collection and in the embedded store."""
    plain = mongomock.MongoClient().db.things
    ours = mongomock.MongoClient(_store=ServerStore()).db.things
    for collection in (plain, ours):
        collection.insert_many([dict(doc) for doc in DOCS])
    return plain, ours


def answers(collection, spec):
    """Return what the collection answers a filter with, by every read path."""
    return (list(collection.find(spec)), collection.find_one(spec),
            collection.count_documents(spec), list(collection.find(spec).sort("_id", -1)))


@pytest.mark.parametrize("spec", FILTERS, ids=[repr(f) for f in FILTERS])
def test_every_filter_answers_as_a_scan_does(spec):
    plain, ours = collections()
    assert answers(ours, spec) == answers(plain, spec)


@pytest.mark.parametrize("write", [
    lambda c: c.update_one({"key": "a"}, {"$set": {"key": "b"}}),
    lambda c: c.update_many({"group": "g1"}, {"$set": {"group": "g9"}}),
    lambda c: c.update_one({"_id": 9, "key": "zz"}, {"$set": {"group": "g1"}}, upsert=True),
    lambda c: c.replace_one({"_id": 2}, {"key": "a", "group": "g2"}),
    lambda c: c.find_one_and_update({"key": "c"}, {"$set": {"key": "a"}}),
    lambda c: c.find_one_and_update({"_id": 1}, {"$push": {"tags": "w"}}),
    lambda c: c.delete_one({"key": "a"}),
    lambda c: c.delete_many({"group": "g1"}),
    lambda c: c.insert_one({"_id": 7, "key": "a", "group": "g1"}),
    lambda c: c.bulk_write([UpdateOne({"_id": 3}, {"$set": {"key": "a"}})]),
], ids=["update_one", "update_many", "upsert", "replace", "find_one_and_update", "push",
        "delete_one", "delete_many", "insert", "bulk_write"])
def test_answers_follow_every_kind_of_write(write):
    plain, ours = collections()
    for spec in FILTERS:  # the value maps are built before the write
        answers(ours, spec)
    write(plain)
    write(ours)
    for spec in FILTERS:
        assert answers(ours, spec) == answers(plain, spec), spec


def test_an_equality_reads_only_the_documents_holding_the_value():
    _, ours = collections()
    ours.insert_many([{"key": f"k{n}", "group": "bulk"} for n in range(1000)])
    store = ours._store
    assert [doc["key"] for doc in store.candidates({"key": "k500", "group": "bulk"})] == ["k500"]
    assert len(store.candidates({"key": {"$in": ["k1", "k2", "nope"]}})) == 2
    assert store.candidates({"key": {"$regex": "k5"}}) is None  # not an equality: a scan


def test_expired_documents_go_in_the_sweep_and_leave_the_maps():
    _, ours = collections()
    ours.create_index("at", expireAfterSeconds=0)
    past = dt.datetime(2000, 1, 1)
    ours.insert_one({"_id": 8, "key": "gone", "at": past})
    assert ours.find_one({"key": "gone"})["_id"] == 8  # kept until the monitor sweeps
    assert ours._store.sweep_expired() == 1
    assert ours.find_one({"key": "gone"}) is None


def outcome(collection, spec):
    """Return the documents found, or the error raised."""
    try:
        return list(collection.find(spec))
    except mongomock.OperationFailure as error:
        return str(error)


@pytest.mark.parametrize("spec", [{"key": "nobody", "n": {"$bogus": 1}},
                                  {"key": "a", "n": {"$bogus": 1}},
                                  {"key": {"$in": ["nobody"]}, "n": {"$bogus": 1}}])
def test_a_bad_filter_is_refused_as_a_scan_refuses_it(spec):
    plain, ours = collections()
    assert outcome(ours, spec) == outcome(plain, spec)


@pytest.mark.parametrize("spec", [{"n": {"$bogus": 1}}, {"key": "a", "n": {"$bogus": 1}},
                                  {"key": {"$in": ["a"]}}])
def test_an_empty_collection_answers_as_a_scan_does(spec):
    plain = mongomock.MongoClient().db.things
    ours = mongomock.MongoClient(_store=ServerStore()).db.things
    assert outcome(ours, spec) == outcome(plain, spec)


def unique_collections(**options):
    """Return both collections with a unique index on `key` (and its options)."""
    plain, ours = collections()
    for collection in (plain, ours):
        collection.create_index("key", unique=True, **options)
        for spec in FILTERS:  # the value maps are built before the writes
            answers(collection, spec)
    return plain, ours


def refused(write, collection) -> str:
    """Return the error a write raised, or "" when it went through."""
    try:
        write(collection)
    except PyMongoError as error:  # DuplicateKeyError, or BulkWriteError for insert_many
        return type(error).__name__
    return ""


@pytest.mark.parametrize("write", [
    lambda c: c.insert_one({"_id": 10, "key": "a"}),
    lambda c: c.update_one({"key": "b"}, {"$set": {"key": "a"}}),
    lambda c: c.update_one({"_id": 3}, {"$set": {"key": "b"}}),
    lambda c: c.replace_one({"key": "c"}, {"key": "a2"}),
    lambda c: c.update_one({"_id": 11, "key": "a"}, {"$set": {"group": "g1"}}, upsert=True),
    lambda c: c.find_one_and_update({"key": "c"}, {"$set": {"key": "b"}}),
    lambda c: c.insert_many([{"_id": 12, "key": "new"}, {"_id": 13, "key": "new"}]),
    lambda c: c.update_one({"key": "b"}, {"$set": {"key": "free"}}),
], ids=["insert", "update", "update-by-id", "replace", "upsert", "find_one_and_update",
        "insert_many", "allowed"])
def test_a_unique_index_refuses_exactly_what_a_scan_refuses(write):
    plain, ours = unique_collections(sparse=True)
    assert refused(write, ours) == refused(write, plain)
    for spec in [*FILTERS, {"key": "free"}, {"key": "new"}]:
        assert answers(ours, spec) == answers(plain, spec), spec


def test_a_partial_unique_index_applies_only_where_its_filter_does():
    plain = mongomock.MongoClient().db.things
    ours = mongomock.MongoClient(_store=ServerStore()).db.things
    writes = [{"_id": 1, "key": "c", "group": "g2"}, {"_id": 2, "key": "c", "group": "g1"},
              {"_id": 3, "key": "c", "group": "g1"}, {"_id": 4, "key": "c", "group": "g2"}]
    outcomes = []
    for collection in (plain, ours):
        collection.create_index("key", unique=True, partialFilterExpression={"group": "g1"})
        collection.find_one({"key": "c"})  # builds the map
        outcomes.append([refused(lambda c, doc=doc: c.insert_one(doc), collection)
                         for doc in writes])
    assert outcomes[0] == outcomes[1] == ["", "", "DuplicateKeyError", ""]


def test_many_inserts_into_a_uniquely_indexed_collection_keep_their_maps():
    _, ours = collections()
    ours.create_index("key", unique=True, sparse=True)
    ours.find_one({"key": "a"})  # builds the map
    built = ours._store._maps["key"]
    ours.insert_many([{"key": f"k{n}"} for n in range(2000)])
    assert ours._store._maps["key"] is built  # kept up to date, not rebuilt for each insert
    assert len(built) == 2004
    with pytest.raises(mongomock.DuplicateKeyError):
        ours.insert_one({"key": "k1999"})
    assert ours.count_documents({"key": "k1999"}) == 1


def test_an_update_filtered_by_dates_on_a_timezone_aware_client_matches_as_a_scan_does():
    plain = mongomock.MongoClient(tz_aware=True).db.holds
    ours = mongomock.MongoClient(tz_aware=True, _store=ServerStore()).db.holds
    at = dt.datetime(2026, 11, 26, 12, tzinfo=dt.UTC)
    for collection in (plain, ours):
        collection.insert_many([{"_id": n, "status": "active", "capsule": "c1",
                                 "expiresAt": at + dt.timedelta(minutes=n - 2)} for n in range(4)])
        collection.find_one({"status": "active"})  # builds the map
        collection.update_many({"capsule": "c1", "status": "active", "expiresAt": {"$lte": at}},
                               {"$set": {"status": "expired"}})
    for spec in ({"status": "active"}, {"status": "expired"}, {"capsule": "c1"}):
        assert answers(ours, spec) == answers(plain, spec)
    assert ours.count_documents({"status": "expired"}) == 3


STORED_VALUES = [  # as documents hold them, and what a filter or a new document may carry
    {"s": "x", "i": 1, "f": 1.5, "b": True, "n": None, "o": OID},
    {"at": dt.datetime(2026, 11, 26, 9, 30, 15, 123456)},
    {"at": dt.datetime(2026, 11, 26, 11, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))},
    {"nested": {"list": [1, {"at": dt.datetime(2026, 1, 1)}, ["deep", ("t", 2)]]}},
    {"tuple": ("a", dt.datetime(2026, 1, 1, 0, 0, 0, 999999))},
    {"ordered": OrderedDict([("b", 1), ("a", {"c": dt.datetime(2026, 1, 1)})])},
    {"bytes": b"\x00\x01", "binary": Binary(b"\x02", 5), "decimal": Decimal128("1.10")},
    {"subclass": type("Mapping", (dict,), {})(key="value")},
]


@pytest.mark.parametrize("doc", STORED_VALUES, ids=range(len(STORED_VALUES)))
def test_a_whole_document_is_read_as_mongomock_copies_it_and_makes_it_aware(doc):
    collection = mongomock.MongoClient(tz_aware=True, _store=ServerStore()).db.things
    stored = embedded.patch_datetime_awareness(doc)
    expected = make_datetime_timezone_aware_in_document(
        embedded._mongomock_copy(collection, stored, None, dict))
    copied = embedded._copy_only_fields(collection, stored, None, dict)
    assert copied == expected
    assert _types(copied) == _types(expected)


@pytest.mark.parametrize("doc", STORED_VALUES, ids=range(len(STORED_VALUES)))
def test_values_are_stored_with_dates_patched_as_mongomock_does(doc):
    expected = _original_patch(doc)  # mongomock's, as it was before concierge.embedded
    patched = embedded.patch_datetime_awareness(doc)
    assert patched == expected
    assert _types(patched) == _types(expected)


def test_a_read_document_is_a_copy_the_store_does_not_share():
    collection = mongomock.MongoClient(tz_aware=True, _store=ServerStore()).db.things
    collection.insert_one({"_id": 1, "items": [{"tags": ["a"]}], "at": dt.datetime(2026, 1, 1)})
    read = collection.find_one({"_id": 1})
    read["items"][0]["tags"].append("changed")
    assert read["at"].tzinfo is not None
    assert collection.find_one({"_id": 1})["items"] == [{"tags": ["a"]}]


def test_a_projected_read_is_still_aware():
    collection = mongomock.MongoClient(tz_aware=True, _store=ServerStore()).db.things
    collection.insert_one({"_id": 1, "key": "a", "at": dt.datetime(2026, 1, 1)})
    assert collection.find_one({"key": "a"}, {"_id": 0, "at": 1})["at"].tzinfo is not None


@pytest.mark.parametrize("write", [
    lambda c: c.insert_one({"key": "new"}),
    lambda c: c.update_one({"key": "a"}, {"$set": {"n": 2}}),
    lambda c: c.replace_one({"_id": 2}, {"key": "b2"}),
    lambda c: c.find_one_and_update({"_id": 3}, {"$set": {"n": 3}}),
    lambda c: c.delete_one({"_id": 4}),
    lambda c: c.bulk_write([UpdateOne({"_id": 5}, {"$set": {"n": 5}})]),
    lambda c: c.drop(),
], ids=["insert", "update", "replace", "find_one_and_update", "delete", "bulk_write", "drop"])
def test_every_write_is_counted(write):
    _, ours = collections()
    store = ours._store
    before = store.writes
    ours.find_one({"key": "a"})
    assert store.writes == before  # reads are not writes
    write(ours)
    assert ours.database._store["things"].writes > before


def _original_patch(value):
    """mongomock's own date patching, recursing into itself only."""
    if isinstance(value, OrderedDict):
        return OrderedDict((k, _original_patch(v)) for k, v in value.items())
    if isinstance(value, dict):
        return {k: _original_patch(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return [_original_patch(item) for item in value]
    if isinstance(value, dt.datetime):
        mongo_us = (value.microsecond // 1000) * 1000
        if value.tzinfo:
            return (value - value.utcoffset()).replace(tzinfo=None, microsecond=mongo_us)
        return value.replace(microsecond=mongo_us)
    return value


def _types(value):
    """Return the value's shape with every type named, to compare copies exactly."""
    if isinstance(value, dict):
        return (type(value), {k: _types(v) for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        return (type(value), [_types(v) for v in value])
    return (type(value), getattr(value, "tzinfo", None) is not None)
