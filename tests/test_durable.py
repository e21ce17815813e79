"""The embedded store keeps every acknowledged write on disk and reads it back at start."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import threading
from datetime import UTC, datetime, timedelta

import bson
import pytest
from bson import Binary, Decimal128, ObjectId
from pymongo import DeleteOne, InsertOne, ReplaceOne, UpdateOne
from pymongo.errors import BulkWriteError, DuplicateKeyError

from concierge import create_app, durable
from concierge.config import Config
from concierge.db import Store
from concierge.durable import DataDirError, NotDurable


def open_store(folder) -> Store:
    return Store(Config(CONCIERGE_DATA_DIR=str(folder)))


def reopened(store: Store, folder):
    store.close()
    again = open_store(folder)
    return again, again.database()


@pytest.fixture
def folder(tmp_path):
    return tmp_path / "data"


def test_every_kind_of_write_survives_a_restart(folder):
    store = open_store(folder)
    db = store.database()
    when = datetime(2026, 12, 1, 9, 30, 15, 123000, tzinfo=UTC)
    db.things.insert_one({"_id": "a", "n": 1, "at": when, "blob": Binary(b"\x00\x01", 5),
                          "money": Decimal128("12.50"), "ref": ObjectId(), "tags": ["x"]})
    db.things.insert_many([{"_id": "b", "n": 2}, {"_id": "c", "n": 3}, {"_id": "d", "n": 4}])
    db.things.update_one({"_id": "a"}, {"$inc": {"n": 10}, "$push": {"tags": "y"}})
    db.things.update_many({"n": {"$gte": 3}}, {"$set": {"big": True}})
    db.things.replace_one({"_id": "b"}, {"n": 20})
    db.things.find_one_and_update({"_id": "e"}, {"$set": {"n": 5}}, upsert=True)
    db.things.delete_one({"_id": "d"})
    db.things.bulk_write([InsertOne({"_id": "f"}), UpdateOne({"_id": "f"}, {"$set": {"k": 1}}),
                          ReplaceOne({"_id": "g"}, {"k": 2}, upsert=True),
                          DeleteOne({"_id": "c"})])
    db.gone.insert_one({"_id": 1})
    db.gone.drop()
    db.gone.insert_one({"_id": 2})  # written after the drop, in the same collection
    expected = {name: list(db[name].find()) for name in ("things", "gone")}

    store, db = reopened(store, folder)

    assert {name: list(db[name].find()) for name in ("things", "gone")} == expected
    first = db.things.find_one({"_id": "a"})
    assert first["at"] == when
    assert first["at"].tzinfo is not None
    assert (first["n"], first["tags"], first["money"]) == (11, ["x", "y"], Decimal128("12.50"))
    assert first["blob"] == Binary(b"\x00\x01", 5)
    store.close()


def _hold(n: int, status: str, email: str = "a@example.com") -> dict:
    return {"_id": f"h{n}", "holdId": f"h{n}", "capsuleId": "c1", "slot": 1, "email": email,
            "status": status}


def test_a_restart_keeps_every_index_beside_documents_a_partial_index_skips(folder, config):
    settings = {**config, "CONCIERGE_DATA_DIR": str(folder)}
    store = create_app(settings).extensions["concierge_store"]
    # Two released holds of one slot: outside the partial unique index, as MongoDB allows.
    store.database().capsuleHolds.insert_many([_hold(1, "released"), _hold(2, "released")])
    store.close()

    again = create_app(settings)
    store, db = again.extensions["concierge_store"], again.extensions["concierge_store"].database()

    assert store.missing_indexes == {}
    assert again.test_client().get("/api/concierge/health").status_code == 200
    db.capsuleHolds.insert_one(_hold(3, "active"))
    with pytest.raises(DuplicateKeyError):  # and the index still guards the active one
        db.capsuleHolds.insert_one(_hold(4, "active", "b@example.com"))
    store.close()


def test_documents_come_back_in_the_order_they_were_first_written(folder):
    store = open_store(folder)
    db = store.database()
    db.things.insert_many([{"_id": key} for key in ("m", "c", "x", "a")])
    db.things.update_one({"_id": "m"}, {"$set": {"changed": True}})  # keeps its place
    store, db = reopened(store, folder)
    assert [doc["_id"] for doc in db.things.find()] == ["m", "c", "x", "a"]
    store.close()


def test_a_failed_write_keeps_what_it_applied_and_nothing_else(folder):
    store = open_store(folder)
    db = store.database()
    db.things.create_index("key", unique=True)
    db.things.insert_one({"_id": 1, "key": "k"})
    with pytest.raises(BulkWriteError):  # the second insert collides
        db.things.insert_many([{"_id": 2, "key": "new"}, {"_id": 3, "key": "k"}])
    with pytest.raises(DuplicateKeyError):
        db.things.update_one({"_id": 2}, {"$set": {"key": "k"}})  # rolled back in memory
    store, db = reopened(store, folder)
    assert list(db.things.find({}, {"_id": 1, "key": 1})) == [
        {"_id": 1, "key": "k"}, {"_id": 2, "key": "new"}]
    store.close()


def _put(coll: str, key: str, n: int) -> tuple:
    return ("db", coll, durable.key_of(key), bson.encode({"_id": key, "n": n}))


ONE_COMMIT = {  # changes of one commit, as a commit carries several calls' changes in order
    "150 rows, more than one statement holds": [_put("a", f"k{i}", i) for i in range(150)],
    "a row put twice: the later wins": [_put("a", "k1", 1), _put("a", "k2", 2),
                                        _put("a", "k1", 3)],
    "deleted, then put again": [_put("a", "k1", 1), ("db", "a", durable.key_of("k1"), None),
                                _put("a", "k1", 2), _put("a", "k2", 2)],
    "put, then deleted among many": [*(_put("a", f"k{i}", i) for i in range(70)),
                                     ("db", "a", durable.key_of("k65"), None),
                                     *(_put("a", f"k{i}", -i) for i in range(66, 75))],
    "a drop between puts": [_put("a", "k1", 1), _put("b", "k1", 1), ("db", "a", None, None),
                            _put("a", "k2", 2)],
}


@pytest.mark.parametrize("changes", ONE_COMMIT.values(), ids=ONE_COMMIT)
def test_one_commit_applies_its_changes_in_order(folder, changes):
    expected: dict = {}
    for db, coll, key, doc in changes:
        if key is None:
            expected = {k: v for k, v in expected.items() if k[:2] != (db, coll)}
        elif doc is None:
            expected.pop((db, coll, key), None)
        else:
            expected[(db, coll, key)] = bson.decode(doc)
    disk = durable.Disk.open(folder)
    try:
        disk.write(changes)
        stored = {(db, coll, durable.key_of(doc["_id"])): doc for db, coll, doc in disk.rows()}
    finally:
        disk.close()
    assert stored == expected


def test_expired_documents_swept_stay_gone(folder):
    store = open_store(folder)
    db = store.database()
    db.holds.create_index("expiresAt", expireAfterSeconds=0)
    past = datetime.now(UTC) - timedelta(minutes=1)
    db.holds.insert_many([{"_id": "old", "expiresAt": past},
                          {"_id": "new", "expiresAt": past + timedelta(days=1)}])
    assert store.expire_now() == 1
    store, db = reopened(store, folder)
    assert [doc["_id"] for doc in db.holds.find()] == ["new"]
    store.close()


def test_concurrent_writers_all_land_on_disk(folder):
    store = open_store(folder)
    db = store.database()

    def write(worker: int) -> None:
        for n in range(50):
            db.things.insert_one({"_id": f"{worker}-{n}"})
            db.counters.update_one({"_id": worker}, {"$inc": {"n": 1}}, upsert=True)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    store, db = reopened(store, folder)
    assert db.things.count_documents({}) == 400
    assert sorted(doc["n"] for doc in db.counters.find()) == [50] * 8
    store.close()


@pytest.fixture
def small_disk(folder):
    """A data folder on a 1 MiB file system of its own, to fill for real."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root (CI runs as root)")
    folder.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)], check=True)
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=True)


def fill(db) -> tuple[int, NotDurable]:
    """Write until the disk refuses; return the number of the refused write and why."""
    for n in range(100):
        try:
            db.things.insert_one({"_id": n, "pad": os.urandom(100_000)})
        except NotDurable as error:
            return n, error
    raise AssertionError("100 writes of 100 kB fitted on a 1 MiB disk")


def grow(folder) -> None:
    subprocess.run(["mount", "-o", "remount,size=16m", str(folder)], check=True)


def test_a_write_that_meets_a_full_disk_is_refused_then_kept_by_the_next(small_disk):
    store = open_store(small_disk)
    db = store.database()
    db.things.insert_one({"_id": "before"})
    refused, error = fill(db)
    assert str(error) == f"the disk holding {small_disk} is full"
    assert store.disk_error is not None
    grow(small_disk)
    db.things.insert_one({"_id": "after"})
    assert store.disk_error is None
    store, db = reopened(store, small_disk)
    # The refused write was applied in memory (as a write-concern error on MongoDB leaves
    # it): the next commit carried it, so memory and disk agree again.
    assert [doc["_id"] for doc in db.things.find({}, {"_id": 1})] == [
        "before", *range(refused + 1), "after"]
    store.close()


def test_a_second_store_on_a_held_folder_is_refused_naming_the_folder(folder):
    store = open_store(folder)
    store.database()
    with pytest.raises(DataDirError, match=f"holds the data folder {folder}"):
        open_store(folder).database()
    store.close()
    again = open_store(folder)  # released by close()
    again.database()
    again.close()


def test_a_file_that_is_not_a_store_is_refused(folder):
    folder.mkdir()
    (folder / durable.FILE_NAME).write_bytes(b"not a database at all" * 100)
    with pytest.raises(DataDirError, match="not a readable concierge store"):
        open_store(folder).database()
    other = folder.parent / "other"
    other.mkdir()
    sqlite3.connect(other / durable.FILE_NAME).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(DataDirError, match="not a concierge store file"):
        durable.check_folder(other)


def test_a_damaged_store_is_refused_before_anything_is_served(folder):
    store = open_store(folder)
    store.database().things.insert_many([{"_id": n, "pad": "x" * 3000} for n in range(200)])
    store.close()
    path = folder / durable.FILE_NAME
    data = bytearray(path.read_bytes())
    data[len(data) // 2: len(data) // 2 + 4096] = b"\xff" * 4096  # a page in the middle
    path.write_bytes(bytes(data))
    with pytest.raises(DataDirError, match=r"damaged|not a readable"):
        durable.check_folder(folder)


def test_a_folder_that_cannot_be_created_is_refused(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file, not a folder")
    with pytest.raises(DataDirError, match="cannot create the data folder"):
        open_store(blocker / "data").database()


@pytest.fixture
def read_only_folder(folder):
    """A folder nothing can be created in, for root too (immutable) or by permissions."""
    folder.mkdir()
    if os.geteuid() == 0:  # root ignores permissions, not the immutable attribute
        subprocess.run(["chattr", "+i", str(folder)], check=True)
        yield folder
        subprocess.run(["chattr", "-i", str(folder)], check=True)
    else:
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)


def test_a_read_only_folder_is_refused(read_only_folder):
    with pytest.raises(DataDirError, match=f"the data folder {read_only_folder} is not a "
                                           "writable folder"):
        open_store(read_only_folder).database()


def test_seed_goes_only_into_an_empty_store(folder, config):
    settings = {**config, "CONCIERGE_DATA_DIR": str(folder)}
    app = create_app(settings)
    store = app.extensions["concierge_store"]
    db = store.database()
    assert db.products.count_documents({}) == 224
    db.products.delete_many({})  # the store's own catalogue replaces the demo's
    db.products.insert_one({"_id": "OWN-1", "sku": "OWN-1", "name": "Our own dress"})
    store.close()
    again = create_app(settings)
    skus = [doc["sku"] for doc in again.extensions["concierge_store"].database().products.find()]
    assert skus == ["OWN-1"]
    again.extensions["concierge_store"].close()


@pytest.mark.parametrize(("data_dir", "durable_answer"), [("memory", False), (None, True)])
def test_health_says_whether_writes_are_durable(folder, config, data_dir, durable_answer):
    app = create_app({**config, "CONCIERGE_DATA_DIR": data_dir or str(folder)})
    body = app.test_client().get("/api/concierge/health").get_json()
    assert (body["status"], body["durable"]) == ("ok", durable_answer)
    app.extensions["concierge_store"].close()


def test_a_delivery_claimed_before_a_crash_is_due_at_once_after_the_restart(folder, config):
    settings = {**config, "CONCIERGE_DATA_DIR": str(folder)}
    app = create_app(settings)
    store = app.extensions["concierge_store"]
    lease_end = datetime.now(UTC) + timedelta(minutes=2)  # a 120 s lease, just taken
    store.database().outbox.insert_one({
        "_id": "msg-1", "status": "sending", "channel": "email", "leaseId": "dead-worker",
        "nextAttemptAt": lease_end, "createdAt": datetime.now(UTC)})
    store.close()  # as if killed: the worker holding the lease is gone
    again = create_app(settings)
    message = again.extensions["concierge_store"].database().outbox.find_one({"_id": "msg-1"})
    again.extensions["concierge_store"].close()
    assert message["nextAttemptAt"] <= datetime.now(UTC)
    assert "leaseId" not in message
