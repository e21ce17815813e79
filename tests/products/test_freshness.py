"""Each worker's search index follows product writes made straight to MongoDB."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from concierge import catalog_version
from concierge.products import service
from concierge.products.freshness import SKEW, CatalogIndex

from ..support.queries import unserved

URL = "/api/concierge/products"


@pytest.fixture
def config(config) -> dict:
    """Look for changes on every search, so no test waits."""
    return {**config, "SEARCH_REFRESH_MS": 0}


def product(sku: str, name: str, **fields) -> dict:
    """A product as the merchant API writes it: updatedAt set on every write."""
    return {"sku": sku, "name": name, "description": f"{name} in organza.",
            "category": "dresses", "price": {"amount": 15900, "currency": "USD"},
            "colors": ["lilac"], "sizes": ["S", "M"], "tags": ["party"], "stock": 4,
            "inStock": True, "rank": 5, "imageUrl": "/static/img/products/dresses.svg",
            "url": "/demo?product=" + sku, "createdAt": datetime.now(UTC),
            "updatedAt": datetime.now(UTC), **fields}


def found(client, q: str) -> list[str]:
    response = client.get(URL, query_string={"q": q, "pageSize": 50})
    assert response.status_code == 200
    return [p["sku"] for p in response.get_json()["items"]]


def write(db, sku: str, **changes) -> None:
    db.products.update_one({"sku": sku}, {"$set": {**changes, "updatedAt": datetime.now(UTC)}})


def test_seeded_products_carry_updated_at(db):
    assert db.products.count_documents({"updatedAt": {"$exists": False}}) == 0


def test_a_created_product_is_found_then_changed_then_archived(client, db):
    assert found(client, "organza") == []
    db.products.insert_one(product("NEW-DR-0001", "Organza Ballgown"))
    assert found(client, "organza ballgown") == ["NEW-DR-0001"]
    assert found(client, "lilac dress") == ["NEW-DR-0001"]

    write(db, "NEW-DR-0001", name="Organza Tea Dress", description="A tea dress in organza.")
    assert found(client, "tea dress") == ["NEW-DR-0001"]
    assert found(client, "ballgown") == []

    write(db, "NEW-DR-0001", archived=True)
    assert found(client, "organza") == []
    facets = client.get(URL).get_json()["facets"]
    assert "lilac" not in facets["colors"]


def test_an_archived_seed_product_leaves_search_and_its_facets(client, db):
    before = client.get(URL, query_string={"q": "trench coat"}).get_json()
    write(db, "AUR-OW-0002", archived=True)
    after = client.get(URL, query_string={"q": "trench coat"}).get_json()
    assert "AUR-OW-0002" in [p["sku"] for p in before["items"]]
    assert "AUR-OW-0002" not in [p["sku"] for p in after["items"]]
    assert after["total"] == before["total"] - 1


def test_every_worker_sees_a_write(app, db):
    workers = [CatalogIndex(0), CatalogIndex(0)]
    with app.app_context():
        for worker in workers:
            worker.current()
        db.products.insert_one(product("NEW-DR-0002", "Velvet Slip Dress", colors=["plum"]))
        for worker in workers:
            assert "plum" in worker.current().catalogue().colors


def test_a_late_write_stamped_a_little_before_the_newest_is_still_seen(app, db):
    with app.app_context():
        index = CatalogIndex(0)
        index.current()
        newest = index.newest
        late = newest - SKEW / 2  # committed after the index looked, stamped before
        db.products.insert_one(product("NEW-DR-0003", "Satin Gown", updatedAt=late))
        assert index.refresh() == 1
        assert "satin" in index.engine.catalogue().words


def test_a_hard_delete_counted_on_the_change_counter_rebuilds_the_index(app, db):
    with app.app_context():
        index = CatalogIndex(0)
        size = len(index.current())
        db.products.delete_one({"sku": "AUR-DR-0001"})
        catalog_version.bump(db)  # as every catalogue write the app makes does
        assert len(index.current()) == size - 1


def test_a_moved_counter_reindexes_what_changed_whatever_its_stamp(app, db):
    with app.app_context():
        index = CatalogIndex(0)
        index.current()
        index.settled = True  # the window logic alone would look no further
        long_ago = datetime(2001, 1, 1, tzinfo=UTC)  # a host clock far behind
        db.products.update_one({"sku": "AUR-DR-0001"},
                               {"$set": {"name": "Opera Gown", "updatedAt": long_ago}})
        catalog_version.bump(db)
        assert index.refresh() == 1
        assert "opera" in index.engine.catalogue().words


def test_an_unmoved_counter_and_a_quiet_catalogue_never_rebuild(app, db, monkeypatch):
    with app.app_context():
        index = CatalogIndex(0)
        index.current()
        index.settled = True
        rebuilt = []
        monkeypatch.setattr(index, "rebuild", lambda: rebuilt.append(1))
        # A count off by one (as an estimated count can be after a crash) is never read.
        db.products.insert_one({"sku": "NO-STAMP-1", "name": "Unstamped"})
        assert [index.refresh() for _ in range(3)] == [0, 0, 0]
        assert rebuilt == []


def test_the_collection_is_polled_at_most_once_per_interval(app, db, query_log):
    now = [1000.0]
    with app.app_context():
        index = CatalogIndex(2.0, clock=lambda: now[0])
        index.current()
        query_log.queries.clear()
        db.products.insert_one(product("NEW-DR-0004", "Tulle Midi"))
        for _ in range(5):
            now[0] += 0.3
            index.current()
        assert "tulle" not in index.engine.catalogue().words
        assert query_log.queries == []
        now[0] += 0.6
        index.current()
        assert "tulle" in index.engine.catalogue().words
        polls = [q for q in query_log.queries if "updatedAt" in q["filter"]]
        assert len(polls) == 1


def test_a_database_outage_keeps_the_index_it_has(app, db, monkeypatch, caplog):
    from pymongo.errors import ServerSelectionTimeoutError

    with app.app_context():
        index = CatalogIndex(0)
        engine = index.current()

        def down(at):
            raise ServerSelectionTimeoutError("down")

        monkeypatch.setattr(service.repository, "versions_since", down)
        with caplog.at_level("WARNING", logger="concierge.products.freshness"):
            assert index.current() is engine
    assert caplog.messages == ["search index not refreshed: down"]


def test_refresh_reads_are_index_backed(client, db, query_log):
    client.get(URL, query_string={"q": "silk"})
    write(db, "AUR-DR-0002", name="Slip Dress Two")
    client.get(URL, query_string={"q": "silk"})
    reads = [q for q in query_log.queries if q["collection"] == "products"]
    assert any("updatedAt" in q["filter"] for q in reads)
    assert unserved(query_log) == []


def test_warm_builds_the_index_before_the_first_search(app, db):
    assert "catalog_index" not in app.extensions
    service.warm(app)
    assert len(app.extensions["catalog_index"].engine) == db.products.count_documents({})


def test_a_quiet_catalogue_costs_one_index_entry_per_look(app, db, clock, query_log):
    with app.app_context():
        index = CatalogIndex(0)
        index.current()
        clock.advance(SKEW * 2)
        index.refresh()  # the last window read: every write is now SKEW old
        query_log.queries.clear()
        assert (index.refresh(), index.refresh()) == (0, 0)
        reads = [q for q in query_log.queries if q["collection"] == "products"]
        assert [(q["method"], list(q["filter"])) for q in reads] == [
            ("find_one", ["updatedAt"])] * 2

        db.products.insert_one(product("NEW-DR-0005", "Chiffon Maxi", updatedAt=clock()))
        assert index.refresh() == 1
        assert "chiffon" in index.engine.catalogue().words


def test_warm_leaves_other_apps_alone():
    from flask import Flask

    service.warm(Flask(__name__))  # the bench's bare route runs under the same settings


def test_the_embedded_store_needs_no_reach_back(app):
    with app.app_context():
        assert service.catalog_index().skew == timedelta(0)
        assert CatalogIndex(2.0).skew == SKEW


def test_an_index_built_on_an_empty_catalogue_finds_the_first_product(app, db):
    db.products.delete_many({})
    with app.app_context():
        index = CatalogIndex(0)
        assert len(index.current()) == 0
        assert index.refresh() == 0  # nothing written yet: no newest write to reach back from
        db.products.insert_one(product("NEW-DR-0006", "Georgette Wrap"))
        assert "georgette" in index.current().catalogue().words


@pytest.mark.parametrize("after", [timedelta(0), SKEW], ids=["at-once", "exactly-skew-later"])
def test_a_late_update_up_to_skew_after_the_newest_write_is_still_seen(app, db, clock,
                                                                       query_log, after):
    with app.app_context():
        index = CatalogIndex(0)
        index.current()
        newest = clock.freeze()
        db.products.update_one({"sku": "AUR-DR-0001"},
                               {"$set": {"name": "Opera Gown", "updatedAt": newest}})
        clock.advance(after)
        assert index.refresh() == 1
        assert index.newest == newest
        # Committed after that look but stamped before the newest write: no newer
        # updatedAt and no new product tell of it, only the window read again.
        db.products.update_one({"sku": "AUR-DR-0002"},
                               {"$set": {"name": "Velvet Cape", "updatedAt": newest - SKEW / 2}})
        query_log.queries.clear()
        assert index.refresh() == 1  # the late write alone: the first is not indexed again
        assert "cape" in index.engine.catalogue().words
        assert index.newest == newest  # an older stamp never moves the window back
        windows = [q["filter"] for q in query_log.queries if "$gte" in str(q["filter"])]
        assert windows == [{"updatedAt": {"$gte": newest - SKEW}}]


def test_a_product_rewritten_without_updated_at_while_re_read_is_still_indexed(app, db,
                                                                               races):
    with app.app_context():
        index = CatalogIndex(0)
        index.current()
        write(db, "AUR-DR-0001", name="Taffeta Gown")
        races.before("products", "find",
                     lambda db, args, kwargs: db.products.update_one(
                         {"sku": "AUR-DR-0001"}, {"$unset": {"updatedAt": ""}}),
                     when=lambda args, kwargs: "sku" in (args[0] if args else {}))
        assert index.refresh() == 1
        assert races.fired == ["products.find"]
        assert "taffeta" in index.engine.catalogue().words


def test_a_hard_delete_says_why_the_index_is_rebuilt(app, db, caplog):
    with app.app_context():
        index = CatalogIndex(0)
        index.current()
        db.products.delete_one({"sku": "AUR-DR-0001"})
        catalog_version.bump(db)
        with caplog.at_level("INFO", logger="concierge.products.freshness"):
            index.refresh()
    assert caplog.messages == ["a product was deleted: rebuilding the search index"]


def test_warm_with_the_database_down_says_the_first_search_builds_the_index(app, monkeypatch,
                                                                            caplog):
    from pymongo.errors import ServerSelectionTimeoutError

    def down():
        raise ServerSelectionTimeoutError("down")

    monkeypatch.setattr(service.repository, "all_products", down)
    with caplog.at_level("WARNING", logger="concierge.products.service"):
        service.warm(app)
    assert caplog.messages == ["search index not built at start, first search builds it: down"]


def test_warm_leaves_a_bare_wsgi_callable_alone():
    def bare(environ, start_response):  # gunicorn may load any WSGI callable
        return []

    service.warm(bare)


def test_a_mongodb_deployment_reaches_back_skew_and_polls_every_refresh_interval(config):
    import mongomock

    from concierge import create_app

    from ..conftest import MOCK_MONGO

    with mongomock.patch(servers=(MOCK_MONGO,)):
        app = create_app({**config, "MONGO_URI": "mongodb://mongo.test:27017/",
                          "SEARCH_REFRESH_MS": 2500})
        with app.app_context():
            index = service.catalog_index()
            assert (index.skew, index.interval) == (SKEW, 2.5)
            assert service.catalog_index() is index


def test_a_product_stored_without_updated_at_is_indexed_at_build(app, db):
    undated = product("NEW-DR-0007", "Brocade Jacket")
    del undated["updatedAt"]
    db.products.insert_one(undated)
    with app.app_context():
        index = CatalogIndex(0)
        assert "brocade" in index.current().catalogue().words
        assert index.versions["NEW-DR-0007"] is None


def test_the_collection_is_polled_again_exactly_one_interval_after_the_last_look(app, db):
    now = [1000.0]
    with app.app_context():
        index = CatalogIndex(2.0, clock=lambda: now[0])
        index.current()
        db.products.insert_one(product("NEW-DR-0008", "Cady Jumpsuit"))
        now[0] += 2.0
        assert "cady" in index.current().catalogue().words


def test_a_search_while_another_thread_refreshes_uses_the_index_as_it_is(app):
    with app.app_context():
        index = CatalogIndex(0)
        engine = index.current()
        answered = []

        def search():
            with app.app_context():
                answered.append(index.current())

        with index._lock:  # another thread is refreshing
            worker = threading.Thread(target=search)
            worker.start()
            worker.join(timeout=10)
            finished = not worker.is_alive()
        worker.join()
        assert finished
        assert answered == [engine]
