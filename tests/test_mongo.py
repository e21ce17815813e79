"""Against a real MongoDB (MONGO_URI): indexes as declared, TTL changes, races, reports.

Set MONGO_URI (a replica set for the transaction test) to run them; MONGO_TEST_DB
names a database the user may write (an Atlas user with readWrite only: its
collections are dropped afterwards instead of the database).
"""

from __future__ import annotations

import multiprocessing
import secrets
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from pymongo.errors import DuplicateKeyError

from concierge import create_app
from concierge.clock import now
from concierge.console import overview
from concierge.db import DAY, INDEXES, get_db, get_store
from concierge.merchant import repository as merchant
from concierge.outbox import repository as outbox
from concierge.seeding import seed

from .conftest import drop_test_database

pytestmark = pytest.mark.mongo


def test_real_server_gets_every_declared_index_with_its_options(real_app):
    retention = real_app.config["RETENTION_DAYS"]
    with real_app.app_context():
        db = get_db()
        for index in INDEXES:
            found = db[index.collection].index_information()[index.name]
            assert found["key"] == list(index.keys), index.name
            assert found.get("unique", False) == index.unique, index.name
            assert found.get("partialFilterExpression") == index.partial, index.name
            expected = index.kwargs(retention).get("expireAfterSeconds")
            assert found.get("expireAfterSeconds") == expected, index.name
        assert get_store().missing_indexes == {}


def test_a_redeploy_with_another_retention_changes_the_ttl_in_place(real_app, config,
                                                                    mongo_uri):
    name = real_app.config["MONGO_DB"]
    retention = dict(real_app.config["RETENTION_DAYS"], returns=10)
    again = create_app({**config, "MONGO_URI": mongo_uri, "MONGO_DB": name,
                        "RETENTION_DAYS": retention})
    answer = again.test_client().get("/api/concierge/health")
    assert answer.status_code == 200, answer.get_json()
    with again.app_context():
        ttl = get_db().returns.index_information()["ttl_returns"]["expireAfterSeconds"]
    assert ttl == 10 * DAY
    again.extensions["concierge_store"].close()


def test_real_partial_unique_index_allows_one_active_hold(real_app):
    with real_app.app_context():
        holds = get_db().capsuleHolds
        holds.insert_one({"holdId": "a", "capsuleId": "c", "email": "e", "slot": 0,
                          "status": "active"})
        with pytest.raises(DuplicateKeyError):
            holds.insert_one({"holdId": "b", "capsuleId": "c", "email": "e", "slot": 1,
                              "status": "active"})
        holds.insert_one({"holdId": "c", "capsuleId": "c", "email": "e", "slot": 0,
                          "status": "released"})


def test_concurrent_upserts_of_new_skus_make_one_document_each(real_app):
    skus = [f"RACE-{n:03d}" for n in range(20)]
    writes = [(sku, {"$set": {"name": sku}, "$setOnInsert": {"_id": sku}}) for sku in skus]

    def upsert(_):
        with real_app.app_context():
            return merchant.upsert_many("products", "sku", writes)

    with ThreadPoolExecutor(8) as pool:
        created = list(pool.map(upsert, range(8)))
    assert sorted(sku for batch in created for sku in batch) == skus  # each created once
    with real_app.app_context():
        assert get_db().products.count_documents({"sku": {"$in": skus}}) == len(skus)


def _claim_all(uri: str, name: str, results) -> None:
    """In a process of its own: claim due email deliveries until none is left."""
    app = create_app({"TESTING": True, "MONGO_URI": uri, "MONGO_DB": name,
                      "LOG_LEVEL": "WARNING", "OUTBOX_WORKER": False})
    claimed = []
    with app.app_context():
        while (doc := outbox.claim_due(get_db(), ["email"], now(), now() + timedelta(
                minutes=2), secrets.token_hex(4))) is not None:
            claimed.append(doc["_id"])
    results.put(claimed)


def test_two_processes_claim_each_delivery_once(real_app, mongo_uri):
    name = real_app.config["MONGO_DB"]
    with real_app.app_context():
        get_db().outbox.insert_many([
            {"_id": f"m{n}", "status": "pending", "channel": "email",
             "nextAttemptAt": now() - timedelta(seconds=1), "createdAt": now()}
            for n in range(200)])
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    workers = [context.Process(target=_claim_all, args=(mongo_uri, name, results))
               for _ in range(2)]
    for worker in workers:
        worker.start()
    claimed = [results.get(timeout=60) for _ in workers]
    for worker in workers:
        worker.join(30)
    together = claimed[0] + claimed[1]
    assert sorted(together) == sorted(f"m{n}" for n in range(200))  # each once


def test_the_overview_aggregations_run_on_the_server(real_app):
    with real_app.app_context():
        seed(get_db())
        at = now()
        get_db().analyticsEvents.insert_many([
            {"name": "aurora_widget_opened", "sessionId": "s1", "receivedAt": at,
             "source": "client"},
            {"name": "aurora_order_tracked", "sessionId": "s1", "receivedAt": at,
             "source": "server"}])
        get_db().csatResponses.insert_one({"sessionId": "s1", "intent": "track_order",
                                           "rating": 4, "updatedAt": at})
        built = overview.build(7)
    assert built


def test_a_return_is_a_transaction_on_a_replica_set(real_app):
    with real_app.app_context():
        store = get_store()
        seen = store.run_transaction(lambda transaction: transaction.atomic)
    topology = store.database().client.topology_description.topology_type_name
    assert seen is (topology in ("ReplicaSetWithPrimary", "Sharded"))


def test_real_seed_is_idempotent(real_app):
    with real_app.app_context():
        seed(get_db())
        assert all(c["inserted"] == 0 for c in seed(get_db()).values())


def test_real_health_is_ok(real_app):
    assert real_app.test_client().get("/api/concierge/health").get_json()["database"] == "ok"


def test_a_database_the_user_cannot_drop_is_emptied_instead(real_app):
    with real_app.app_context():
        database = get_db()
        database.scratch.insert_one({"_id": 1})
        drop_test_database(database)
        assert "scratch" not in database.list_collection_names()


def test_search_freshness_reads_the_servers_clock_and_change_counter(real_app):
    from concierge.products import repository as products

    with real_app.app_context():
        before = products.changes()
        merchant.archive_product("AUR-DR-0001", now())
        assert products.changes() == before + 1
        server_time = products.database_time()
    assert server_time.tzinfo is not None
    assert abs(server_time - now()) < timedelta(minutes=5)  # a clock, not a stored stamp
