"""PUT, batch and archive products; derived fields computed on write."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pymongo.errors import BulkWriteError

from concierge import catalog_version
from concierge.merchant.repository import DUPLICATE_KEY
from concierge.schemas import iso_z
from concierge.text import keywords

from .conftest import API, product_body

SHOP = "/api/concierge"


def put(client, auth, sku, body):
    return client.put(f"{API}/products/{sku}", json=body, headers=auth)


def batch(client, auth, products):
    return client.post(f"{API}/products/batch", json={"products": products}, headers=auth)


def test_put_creates_then_replaces(client, auth, db, clock):
    clock.freeze()
    created = put(client, auth, "aur-new-0001", product_body())
    assert created.status_code == 201
    assert created.get_json()["sku"] == "AUR-NEW-0001"
    clock.advance(seconds=1)
    replaced = put(client, auth, "AUR-NEW-0001", product_body(name="Linen Maxi Dress"))
    assert replaced.status_code == 200
    stored = db.products.find_one({"sku": "AUR-NEW-0001"})
    assert stored["name"] == "Linen Maxi Dress"
    assert stored["createdAt"] < stored["updatedAt"]


def test_a_put_computes_every_derived_field(client, auth, db):
    put(client, auth, "AUR-NEW-0002", product_body(stock=0, colors=["Sage", "SAGE", "Crème"]))
    stored = db.products.find_one({"sku": "AUR-NEW-0002"})
    assert stored["_id"] == "AUR-NEW-0002"
    assert stored["category"] == "dresses"
    assert stored["colors"] == ["sage", "creme"]
    assert stored["inStock"] is False
    assert stored["keywords"] == keywords("Linen Shirt Dress", "A relaxed linen shirt dress.",
                                          "dresses", ["sage", "creme"], ["linen", "summer"])
    assert stored["imageUrl"] == "/static/img/products/dresses.svg"
    assert stored["url"] == "/demo?product=AUR-NEW-0002"
    assert stored["archived"] is False
    assert stored["updatedAt"] is not None


def test_a_product_is_found_by_shoppers_at_once(client, auth):
    put(client, auth, "AUR-NEW-0003", product_body(name="Seersucker Romper"))
    found = client.get(f"{SHOP}/products", query_string={"q": "seersucker rompers"}).get_json()
    assert [p["sku"] for p in found["items"]] == ["AUR-NEW-0003"]
    assert client.get(f"{SHOP}/products/AUR-NEW-0003").get_json()["description"]


def test_an_identical_put_is_unchanged_and_writes_nothing(client, auth, db):
    put(client, auth, "AUR-NEW-0004", product_body())
    before = db.products.find_one({"sku": "AUR-NEW-0004"})
    again = put(client, auth, "AUR-NEW-0004", product_body())
    assert again.status_code == 200
    assert db.products.find_one({"sku": "AUR-NEW-0004"})["updatedAt"] == before["updatedAt"]
    result = batch(client, auth, [{"sku": "AUR-NEW-0004", **product_body()}]).get_json()
    assert result["results"] == [{"sku": "AUR-NEW-0004", "status": "unchanged"}]


@pytest.mark.parametrize(("change", "field"), [
    ({"name": ""}, "name"),
    ({"name": {"$ne": None}}, "name"),
    ({"price": {"amount": 12.5, "currency": "USD"}}, "price.amount"),
    ({"price": {"amount": -1, "currency": "USD"}}, "price.amount"),
    ({"price": {"amount": 100, "currency": "usd"}}, "price.currency"),
    ({"stock": "3"}, "stock"),
    ({"stock": True}, "stock"),
    ({"colors": "red"}, "colors"),
    ({"sizes": [""]}, "sizes.0"),
    ({"imageUrl": "javascript:alert(1)"}, "imageUrl"),
    ({"rank": -5}, "rank"),
    ({"sku": "AUR-X-1"}, "sku"),
    ({"keywords": ["x"]}, "keywords"),
])
def test_bad_product_bodies_get_422_per_field(client, auth, change, field):
    answer = put(client, auth, "AUR-NEW-0005", product_body(**change))
    assert answer.status_code == 422
    assert answer.get_json()["code"] == "validation_error"
    assert field in answer.get_json()["errors"]


@pytest.mark.parametrize("sku", ["ab", "AUR+DR+1", ".AUR-DR", "AUR~1", "x" * 256])
def test_a_bad_sku_in_the_path_gets_422(client, auth, sku):
    answer = put(client, auth, sku, product_body())
    assert answer.status_code == 422
    assert "sku" in answer.get_json()["errors"]


def test_a_missing_field_is_named(client, auth):
    body = product_body()
    del body["stock"]
    assert "stock" in put(client, auth, "AUR-NEW-0006", body).get_json()["errors"]


def test_a_batch_reports_each_product_and_one_bad_product_blocks_nothing(client, auth, db):
    put(client, auth, "AUR-BAT-0002", product_body())
    put(client, auth, "AUR-BAT-0003", product_body())
    answer = batch(client, auth, [
        {"sku": "AUR-BAT-0001", **product_body()},
        {"sku": "AUR-BAT-0002", **product_body(stock=9)},
        {"sku": "AUR-BAT-0003", **product_body()},
        {"sku": "AUR-BAT-0004", **product_body(price="free")},
        "not an object",
        {**product_body()},
        {"sku": "aur-bat-0001", **product_body()},
    ])
    assert answer.status_code == 200
    results = answer.get_json()["results"]
    assert [r["status"] for r in results] == ["created", "updated", "unchanged", "rejected",
                                              "rejected", "rejected", "rejected"]
    assert results[3]["sku"] == "AUR-BAT-0004"
    assert "price._schema" in results[3]["errors"]
    assert results[4]["sku"] is None
    assert results[4]["errors"]
    assert "sku" in results[5]["errors"]
    assert "Repeats element 0" in results[6]["errors"]["sku"][0]
    assert answer.get_json()["counts"] == {"created": 1, "updated": 1, "unchanged": 1,
                                           "rejected": 4}
    assert db.products.find_one({"sku": "AUR-BAT-0002"})["stock"] == 9
    assert db.products.count_documents({"sku": "AUR-BAT-0004"}) == 0


def test_a_batch_is_one_bulk_write_not_a_round_trip_per_product(client, auth, app):
    calls = []
    app.extensions["concierge_store"].observers.append(
        lambda collection, method, args, kwargs: calls.append((collection.name, method)))
    products = [{"sku": f"AUR-BLK-{n:04d}", **product_body()} for n in range(300)]
    assert batch(client, auth, products).get_json()["counts"]["created"] == 300
    writes = [c for c in calls if c[0] == "products"]
    assert writes.count(("products", "bulk_write")) == 1
    # Read which skus are held (by skus, then by sku among products stored before
    # variants), read what is stored, write once: the same for 1 product or 500.
    assert len(writes) <= 4


@pytest.mark.parametrize("size", [0, 501])
def test_a_batch_holds_one_to_500_products(client, auth, size):
    products = [{"sku": f"AUR-SIZ-{n:04d}", **product_body()} for n in range(size)]
    answer = batch(client, auth, products)
    assert answer.status_code == 422
    assert "products" in answer.get_json()["errors"]


def test_a_batch_of_500_is_accepted(client, auth):
    products = [{"sku": f"AUR-MAX-{n:04d}", **product_body()} for n in range(500)]
    assert batch(client, auth, products).get_json()["counts"]["created"] == 500


def test_archive_hides_a_product_from_search_and_its_page(client, auth, db):
    put(client, auth, "AUR-ARC-0001", product_body(name="Gingham Pinafore"))
    answer = client.delete(f"{API}/products/aur-arc-0001", headers=auth)
    assert answer.status_code == 200
    assert answer.get_json()["archived"] is True
    stored = db.products.find_one({"sku": "AUR-ARC-0001"})
    assert stored["archived"] is True
    assert stored["updatedAt"] == stored["archivedAt"]
    assert client.get(f"{SHOP}/products", query_string={"q": "gingham"}).get_json()["total"] == 0
    assert client.get(f"{SHOP}/products/AUR-ARC-0001").status_code == 404
    unfiltered = client.get(f"{SHOP}/products", query_string={"pageSize": 50}).get_json()
    assert unfiltered["total"] == db.products.count_documents({"archived": {"$ne": True}})


def test_archive_again_answers_the_same_and_unknown_is_404(client, auth):
    first = client.delete(f"{API}/products/AUR-DR-0001", headers=auth).get_json()
    again = client.delete(f"{API}/products/AUR-DR-0001", headers=auth).get_json()
    assert first["archivedAt"] == again["archivedAt"]
    missing = client.delete(f"{API}/products/AUR-NOPE-999", headers=auth)
    assert missing.status_code == 404
    assert missing.get_json()["code"] == "product_not_found"


def test_an_archived_product_stays_in_shortlists_and_orders(client, auth, session_headers):
    shortlist = client.post(f"{SHOP}/shortlists", json={"skus": ["AUR-OW-0002"]},
                            headers=session_headers).get_json()
    client.delete(f"{API}/products/AUR-OW-0002", headers=auth)
    again = client.get(f"{SHOP}/shortlists/{shortlist['shortlistId']}",
                       headers=session_headers).get_json()
    assert [p["sku"] for p in again["items"]] == ["AUR-OW-0002"]
    order = client.post(f"{SHOP}/orders/lookup", headers=session_headers, json={
        "orderNumber": "GG-11982", "email": "avery.stone@example.com"}).get_json()
    assert "AUR-OW-0002" in [item["sku"] for item in order["items"]]


def test_putting_an_archived_product_brings_it_back(client, auth, db):
    put(client, auth, "AUR-ARC-0002", product_body())
    client.delete(f"{API}/products/AUR-ARC-0002", headers=auth)
    answer = put(client, auth, "AUR-ARC-0002", product_body())
    assert answer.status_code == 200
    assert answer.get_json()["archived"] is False
    assert client.get(f"{SHOP}/products/AUR-ARC-0002").status_code == 200


def test_every_write_moves_the_catalogue_version(client, auth, db):
    def newest():
        return next(iter(db.products.find({}).sort("updatedAt", -1).limit(1)))["updatedAt"]

    seeded = newest()
    assert db.products.count_documents({"updatedAt": None}) == 0
    put(client, auth, "AUR-VER-0001", product_body())
    created = newest()
    client.delete(f"{API}/products/AUR-DR-0002", headers=auth)
    assert seeded <= created <= newest()
    assert newest() == db.products.find_one({"sku": "AUR-DR-0002"})["updatedAt"]


def test_a_json_body_is_required(client, auth):
    answer = client.put(f"{API}/products/AUR-NEW-0009", data="name=x", headers=auth,
                        content_type="application/x-www-form-urlencoded")
    assert answer.status_code == 415
    broken = client.put(f"{API}/products/AUR-NEW-0009", data="{", headers=auth,
                        content_type="application/json")
    assert broken.status_code == 400
    assert broken.get_json()["code"] == "malformed_json"


class TestVersions:
    @pytest.fixture
    def config(self, config):
        """Refresh the search index on every search."""
        return {**config, "SEARCH_REFRESH_MS": 0}

    def test_writes_in_one_millisecond_still_reach_a_running_search_index(self, client, auth,
                                                                         db, clock):
        def skus(q):
            answer = client.get(f"{SHOP}/products", query_string={"q": q, "pageSize": 50})
            return [p["sku"] for p in answer.get_json()["items"]]

        assert "AUR-VER-0002" not in skus("seersucker")  # the index is built, then refreshed
        frozen = clock.freeze()
        put(client, auth, "AUR-VER-0002", product_body(name="Seersucker Romper"))
        assert "AUR-VER-0002" in skus("seersucker")
        put(client, auth, "AUR-VER-0002", product_body(name="Gingham Romper"))
        assert "AUR-VER-0002" in skus("gingham")
        client.delete(f"{API}/products/AUR-VER-0002", headers=auth)
        assert "AUR-VER-0002" not in skus("gingham")
        stored = db.products.find_one({"sku": "AUR-VER-0002"})["updatedAt"]
        assert stored == frozen + timedelta(milliseconds=2)


def test_an_archive_that_loses_the_race_answers_the_first_archive(client, auth, db, races,
                                                                  clock):
    now = clock.freeze()
    first = now - timedelta(seconds=1)

    def archived_meanwhile(db, args, kwargs):
        db.products.update_one({"sku": "AUR-DR-0003"}, {"$set": {
            "archived": True, "archivedAt": first, "updatedAt": first}})

    races.before("products", "update_one", archived_meanwhile,
                 when=lambda args, kwargs: "archived" in args[1].get("$set", {}))
    answer = client.delete(f"{API}/products/AUR-DR-0003", headers=auth)
    assert races.fired == ["products.update_one"]
    assert answer.status_code == 200
    assert answer.get_json()["archivedAt"] == iso_z(first)
    assert db.products.find_one({"sku": "AUR-DR-0003"})["archivedAt"] == first


def _other_import_inserts_first(sku: str, *codes: int):
    """Another import inserts `sku` between this batch's match and its insert.

    The store refuses the batch's first operations with `codes` (MongoDB's
    answer to an unordered bulk write) and applies the rest.
    """
    def compete(db, args, kwargs):
        operations = args[0]
        db.products.insert_one({"_id": sku, "sku": sku, "name": "Written by the other import"})
        others = db.products.bulk_write(operations[len(codes):], ordered=False)
        raise BulkWriteError({
            "writeErrors": [{"index": index, "code": code, "errmsg": f"E{code}"}
                            for index, code in enumerate(codes)],
            "upserted": [{"index": index + len(codes), "_id": _id}
                         for index, _id in others.upserted_ids.items()]})
    return compete


def test_a_new_sku_another_import_inserted_meanwhile_is_updated_not_lost(client, auth, db,
                                                                         races):
    races.before("products", "bulk_write",
                 _other_import_inserts_first("AUR-RACE-0001", DUPLICATE_KEY))
    answer = batch(client, auth, [{"sku": "AUR-RACE-0001", **product_body()},
                                  {"sku": "AUR-RACE-0002", **product_body()}])
    assert answer.status_code == 200
    assert answer.get_json()["results"] == [{"sku": "AUR-RACE-0001", "status": "updated"},
                                            {"sku": "AUR-RACE-0002", "status": "created"}]
    for sku in ("AUR-RACE-0001", "AUR-RACE-0002"):
        assert db.products.find_one({"sku": sku})["name"] == "Linen Shirt Dress"
    assert db.products.count_documents({"sku": "AUR-RACE-0001"}) == 1


@pytest.mark.parametrize("codes", [(121,), (DUPLICATE_KEY, 121), (121, DUPLICATE_KEY)])
def test_a_write_error_other_than_a_duplicate_is_not_retried(client, auth, db, races, codes):
    races.before("products", "bulk_write", _other_import_inserts_first("AUR-RACE-0003", *codes))
    answer = batch(client, auth, [{"sku": "AUR-RACE-0003", **product_body()},
                                  {"sku": "AUR-RACE-0004", **product_body()},
                                  {"sku": "AUR-RACE-0005", **product_body()}])
    assert answer.status_code == 500
    assert db.products.find_one({"sku": "AUR-RACE-0003"})["name"] == (
        "Written by the other import")


def test_a_sku_of_40_characters_is_archived(client, auth):
    sku = "AUR-" + "L" * 36
    assert put(client, auth, sku, product_body()).status_code == 201
    answer = client.delete(f"{API}/products/{sku}", headers=auth)
    assert answer.status_code == 200
    assert answer.get_json()["archived"] is True


@pytest.mark.parametrize(("sku", "lookups"), [("AUR-NOPE-999", 1), ("AUR-" + "L" * 252, 0)])
def test_archiving_an_unknown_sku_names_it_and_a_longer_sku_is_not_looked_up(client, auth,
                                                                             query_log, sku,
                                                                             lookups):
    answer = client.delete(f"{API}/products/{sku}", headers=auth)
    assert answer.status_code == 404
    assert answer.get_json()["detail"] == f"No product has the sku {sku[:255]!r}."
    assert len([q for q in query_log.queries if q["collection"] == "products"]) == lookups


@pytest.mark.parametrize(("category", "image"), [
    ("Knitwear", "/static/img/products/knitwear.svg"),
    ("Swimwear", "/static/img/products/accessories.svg"),
])
def test_a_product_without_a_picture_shows_its_categorys_or_the_placeholder(client, auth,
                                                                           category, image):
    answer = put(client, auth, "AUR-IMG-0001", product_body(category=category))
    assert answer.get_json()["imageUrl"] == image


def _applied_but_write_concern_unconfirmed(db, args, kwargs):
    """The batch is applied on the primary; the write concern is not confirmed in time."""
    applied = db.products.bulk_write(args[0], ordered=False)
    raise BulkWriteError({
        "writeErrors": [], "nInserted": 0, "nUpserted": applied.upserted_count,
        "nMatched": applied.matched_count, "nModified": applied.modified_count,
        "upserted": [{"index": i, "_id": _id} for i, _id in applied.upserted_ids.items()],
        "writeConcernErrors": [{"code": 64, "errmsg": "waiting for replication timed out"}]})


def test_a_batch_applied_without_write_concern_confirmation_is_not_a_5xx(client, auth, db,
                                                                         races):
    races.before("products", "bulk_write", _applied_but_write_concern_unconfirmed)
    answer = batch(client, auth, [{"sku": "AUR-WC-0001", **product_body()}])
    assert answer.status_code == 200
    assert answer.get_json()["results"] == [{"sku": "AUR-WC-0001", "status": "created"}]
    assert db.products.count_documents({"sku": "AUR-WC-0001"}) == 1


def test_every_catalogue_write_moves_the_change_counter_search_indexes_follow(client, auth, db):
    before = catalog_version.read(db)
    assert put(client, auth, "NEW-SH-0009", product_body()).status_code == 201
    assert batch(client, auth, [product_body(sku="NEW-SH-0010")]).status_code == 200
    assert client.delete(f"{API}/products/NEW-SH-0009", headers=auth).status_code == 200
    assert catalog_version.read(db) == before + 3
