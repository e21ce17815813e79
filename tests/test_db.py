"""The data layer: index declarations and an embedded store safe under threads."""

import multiprocessing
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import mongomock
import pymongo
import pytest
from pymongo.errors import DuplicateKeyError, OperationFailure

from concierge import create_app
from concierge.config import RETENTION_MAX_DAYS, Config, ConfigError
from concierge.db import DAY, INDEXES, Store, ensure_indexes, upsert_race_safe

from .conftest import MOCK_MONGO, MOCK_MONGO_URI


def test_index_creation_is_idempotent(db, app):
    ensure_indexes(db, app.config["RETENTION_DAYS"])
    before = {c: db[c].index_information() for c in {i.collection for i in INDEXES}}
    ensure_indexes(db, app.config["RETENTION_DAYS"])
    assert before == {c: db[c].index_information() for c in before}


def test_init_db_command_creates_every_index(mongodb_runner):
    result = mongodb_runner.invoke(args=["concierge", "init-db"])
    assert result.exit_code == 0
    assert f"{len(INDEXES)} indexes in place." in result.output


def test_partial_unique_index_keeps_its_filter(db):
    info = db.capsuleHolds.index_information()["one_active_hold_per_email"]
    assert info["unique"] is True
    assert info["partialFilterExpression"] == {"status": "active"}


@pytest.mark.parametrize(("collection", "index", "days"), [
    ("capsuleHolds", "ttl_holds", 7), ("widgetShortlists", "ttl_shortlists", 90),
    ("idempotencyKeys", "ttl_idempotency", 1), ("analyticsEvents", "ttl_events", 180),
    ("csatResponses", "ttl_csat", 365), ("stylistTickets", "ttl_tickets", 365),
    ("orderSubscriptions", "ttl_subscriptions", 365), ("returns", "ttl_returns", 730),
])
def test_retention_table_is_enforced_by_ttl_indexes(db, collection, index, days):
    assert db[collection].index_information()[index]["expireAfterSeconds"] == days * DAY


def test_ttl_follows_configured_retention(config):
    retention = dict(Config().RETENTION_DAYS, returns=3650)
    store = Store(Config(RETENTION_DAYS=retention, CONCIERGE_DATA_DIR="memory"))
    ensure_indexes(store.database(), retention)
    ttl = store.database().returns.index_information()["ttl_returns"]["expireAfterSeconds"]
    assert ttl == 3650 * DAY


def test_index_names_are_unique():
    names = [(i.collection, i.name) for i in INDEXES]
    assert len(names) == len(set(names))


def test_embedded_unique_index_admits_one_writer_among_many_threads(db):
    def insert(n):
        try:
            db.capsuleHolds.insert_one({"holdId": f"h{n}", "capsuleId": "c", "slot": 0,
                                        "email": f"e{n}", "status": "active"})
            return True
        except DuplicateKeyError:
            return False

    with ThreadPoolExecutor(32) as pool:
        wins = list(pool.map(insert, range(200)))
    assert wins.count(True) == 1
    assert db.capsuleHolds.count_documents({"capsuleId": "c", "status": "active"}) == 1


def test_embedded_reads_survive_concurrent_writes(db):
    def work(n):
        if n % 2:
            db.analyticsEvents.insert_one({"name": "aurora_x", "n": n})
            return None
        return len(list(db.analyticsEvents.find({"name": "aurora_x"}).sort("n", 1)))

    with ThreadPoolExecutor(16) as pool:
        counts = [c for c in pool.map(work, range(600)) if c is not None]
    assert len(counts) == 300
    assert db.analyticsEvents.count_documents({"name": "aurora_x"}) == 300


def _client_id_in_child(store, queue):
    queue.put(id(store.database().client))


def test_store_makes_a_new_client_in_a_forked_worker():
    store = Store(Config(CONCIERGE_DATA_DIR="memory"))
    parent_client = store.database().client
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_client_id_in_child, args=(store, queue))
    child.start()
    child_client_id = queue.get(timeout=10)
    child.join(10)
    assert child_client_id != id(parent_client)
    assert store.database().client is parent_client


def test_upsert_that_lost_the_race_runs_again_and_updates(db):
    db.csatResponses.insert_one({"sessionId": "s" * 16, "intent": "returns", "rating": 5})
    calls = []

    def upsert():
        calls.append(1)
        if len(calls) == 1:  # as if a concurrent first upsert inserted in between
            raise DuplicateKeyError("E11000 duplicate key")
        return db.csatResponses.find_one_and_update(
            {"sessionId": "s" * 16, "intent": "returns"}, {"$set": {"rating": 2}})

    upsert_race_safe(upsert)
    assert len(calls) == 2
    assert db.csatResponses.find_one({"intent": "returns"})["rating"] == 2


def test_embedded_ttl_leaves_expired_documents_until_the_monitor_sweeps(app, db):
    store = app.extensions["concierge_store"]
    now = datetime.now(UTC)
    old = now - timedelta(days=181)  # analyticsEvents are kept 180 days
    db.analyticsEvents.insert_many([{"name": "aurora_old", "receivedAt": old},
                                    {"name": "aurora_new", "receivedAt": now}])
    # Like MongoDB between two monitor passes: an access deletes nothing.
    assert db.analyticsEvents.count_documents({"name": "aurora_old"}) == 1
    assert store.expire_now() == 1
    assert [e["name"] for e in db.analyticsEvents.find({}, {"name": 1})
            if e["name"].startswith("aurora_")] == ["aurora_new"]


def test_embedded_ttl_sweep_honours_a_zero_ttl_at_the_date_itself(app, db):
    store = app.extensions["concierge_store"]
    now = datetime.now(UTC)
    db.widgetInspiration.insert_many([{"uploadId": "gone", "purgeAt": now - timedelta(seconds=1)},
                                      {"uploadId": "kept", "purgeAt": now + timedelta(hours=1)}])
    store.expire_now()
    assert [d["uploadId"] for d in db.widgetInspiration.find({})] == ["kept"]


def test_embedded_ttl_monitor_runs_in_the_background_until_the_store_closes():
    store = Store(Config(CONCIERGE_DATA_DIR="memory"))
    store.database()
    assert store.monitor.is_alive()
    assert store.monitor.daemon
    store.close()
    store.monitor.join(5)
    assert not store.monitor.is_alive()


def test_write_counts_name_their_store_and_follow_every_write(app, db):
    store = app.extensions["concierge_store"]
    (epoch, before), = store.writes("capsuleHolds")
    db.capsuleHolds.update_many({"status": "none"}, {"$set": {"x": 1}})  # tried: counted
    assert store.writes("capsuleHolds") == ((epoch, before + 1),)
    assert store.writes("neverWritten") == (None,)  # asking creates no collection
    assert "neverWritten" not in db.list_collection_names()
    store.close()
    store.database().capsuleHolds.insert_one({"holdId": "h1"})  # a new, empty store
    (again, _), = store.writes("capsuleHolds")
    assert again != epoch  # its counts are never taken for the old store's


def test_write_counts_are_none_on_mongodb(mongodb_app):
    assert mongodb_app.extensions["concierge_store"].writes("capsules") is None


def test_a_refused_index_does_not_stop_the_ones_after_it(mongodb_app, mongodb):
    first = INDEXES[0]
    # An index of that name on other keys: MongoDB refuses to create the declared one.
    mongodb[first.collection].drop_index(first.name)
    mongodb[first.collection].create_index("somethingElse", name=first.name)
    report = ensure_indexes(mongodb, mongodb_app.config["RETENTION_DAYS"])
    assert list(report.failed) == [first.name]
    later = {name for index in INDEXES[1:]
             for name in mongodb[index.collection].index_information()}
    assert {index.name for index in INDEXES[1:]} <= later


def test_start_up_with_a_missing_index_reports_degraded_naming_it(config):
    with mongomock.patch(servers=(MOCK_MONGO,)):
        database = pymongo.MongoClient(MOCK_MONGO_URI)["concierge"]
        database.orders.create_index("somethingElse", name="order_number_unique")
        app = create_app({**config, "MONGO_URI": MOCK_MONGO_URI})
        answer = app.test_client().get("/api/concierge/health")
        init_db = app.test_cli_runner().invoke(args=["concierge", "init-db"])
    assert answer.status_code == 503
    assert answer.get_json()["missingIndexes"] == ["order_number_unique"]
    assert init_db.exit_code == 1
    assert "missing order_number_unique" in init_db.output
    assert "1 of the declared indexes could not be created" in init_db.output


def test_a_changed_retention_changes_the_ttl_in_place(db, app):
    retention = dict(app.config["RETENTION_DAYS"], returns=10)
    report = ensure_indexes(db, retention)
    assert report.ok
    assert report.changed == ["ttl_returns"]
    assert db.returns.index_information()["ttl_returns"]["expireAfterSeconds"] == 10 * DAY


class RefusingTtlChange:
    """A MongoDB database that refuses a changed TTL by createIndex, as MongoDB does."""

    def __init__(self):
        self.commands = []

    def __getitem__(self, _collection):
        return self

    def create_index(self, keys, **options):
        if "expireAfterSeconds" in options:
            raise OperationFailure("Index already exists with different options", code=85)
        return options["name"]

    def command(self, command):
        self.commands.append(command)
        return {"ok": 1}


def test_mongodb_changes_a_ttl_with_collmod():
    db = RefusingTtlChange()
    report = ensure_indexes(db, dict(Config().RETENTION_DAYS, returns=10))
    assert report.ok
    assert {"collMod": "returns", "index": {"name": "ttl_returns",
                                            "expireAfterSeconds": 10 * DAY}} in db.commands
    assert len(report.changed) == sum(1 for i in INDEXES if i.ttl_retention or
                                      i.ttl_seconds is not None)


@pytest.mark.parametrize("days", [0, -1, RETENTION_MAX_DAYS + 1])
def test_retention_outside_what_mongodb_accepts_refuses_to_start(days):
    with pytest.raises(ConfigError, match="RETENTION_DAYS_RETURNS must be a whole number"):
        Config.from_env({"RETENTION_DAYS_RETURNS": str(days)})


@pytest.mark.parametrize("days", [1, RETENTION_MAX_DAYS])
def test_retention_within_mongodb_s_range_is_accepted(days):
    assert Config.from_env({"RETENTION_DAYS_RETURNS": str(days)}).RETENTION_DAYS["returns"] == days


def _insert_update_delete_then_fail(db):
    def work(transaction):
        assert transaction.atomic
        db.things.insert_one({"_id": "new"})
        db.things.update_one({"_id": "kept"}, {"$set": {"n": 2}, "$push": {"tags": "b"}})
        db.things.delete_one({"_id": "gone"})
        raise RuntimeError("the step after")
    return work


def test_a_failed_transaction_on_the_embedded_store_changes_nothing(app, db):
    db.things.insert_many([{"_id": "kept", "n": 1, "tags": ["a"]}, {"_id": "gone"}])
    before = list(db.things.find())
    store = app.extensions["concierge_store"]
    with pytest.raises(RuntimeError, match="the step after"):
        store.run_transaction(_insert_update_delete_then_fail(db))
    assert list(db.things.find()) == before
    assert db.things.find_one({"n": 2}) is None  # the value maps were put back too


def test_a_failed_transaction_puts_nothing_on_disk(tmp_path):
    store = Store(Config(CONCIERGE_DATA_DIR=str(tmp_path)))
    db = store.database()
    db.things.insert_many([{"_id": "kept", "n": 1, "tags": ["a"]}, {"_id": "gone"}])
    with pytest.raises(RuntimeError):
        store.run_transaction(_insert_update_delete_then_fail(db))
    assert store.run_transaction(lambda t: db.things.insert_one({"_id": "after"})).acknowledged
    store.close()
    again = Store(Config(CONCIERGE_DATA_DIR=str(tmp_path)))
    assert list(again.database().things.find()) == [
        {"_id": "kept", "n": 1, "tags": ["a"]}, {"_id": "gone"}, {"_id": "after"}]
    again.close()


def test_mongodb_without_transactions_says_so_to_the_work(mongodb_app):
    store = mongodb_app.extensions["concierge_store"]
    seen = store.run_transaction(lambda transaction: transaction)
    assert (seen.session, seen.atomic) == (None, False)
def test_one_sku_per_product_is_a_unique_index_on_mongodb_only():
    index = next(i for i in INDEXES if i.name == "skus_unique")
    assert index.keys == (("skus", 1),)
    on_mongodb = index.kwargs({})
    assert on_mongodb["unique"] is True
    assert on_mongodb["partialFilterExpression"] == {"skus": {"$exists": True}}
    # mongomock cannot keep a multikey index unique: the writer's lock keeps the rule there.
    assert "unique" not in index.kwargs({}, mongomock_store=True)
