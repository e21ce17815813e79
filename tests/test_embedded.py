"""The embedded store answers every query exactly as a mongomock scan, reading fewer documents."""

from __future__ import annotations

import datetime as dt

import mongomock
import pytest
from bson import ObjectId
from pymongo import UpdateOne

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
