"""PUT /merchant/inventory/<sku> and POST /merchant/inventory/batch."""

from __future__ import annotations

import pytest

from .conftest import API
from .variants import DRESS, dress_body

SHOP = "/api/concierge"


@pytest.fixture
def dress(client, auth):
    assert client.put(f"{API}/products/{DRESS}", json=dress_body(),
                      headers=auth).status_code == 201


def stock(client, auth, sku, value):
    return client.put(f"{API}/inventory/{sku}", json={"stock": value}, headers=auth)


def shopper_variants(client, sku=DRESS) -> dict:
    return {v["sku"]: v for v in client.get(f"{SHOP}/products/{sku}").get_json()["variants"]}


def test_setting_a_variants_stock_answers_it_with_the_stock_before(client, auth, db, dress):
    answer = stock(client, auth, "var-blk-m", 4)
    assert answer.status_code == 200
    assert answer.get_json() == {"sku": "VAR-BLK-M", "stock": 4, "previous": 0}
    stored = db.products.find_one({"sku": DRESS})
    assert [v["stock"] for v in stored["variants"]] == [5, 4, 2, 7]
    assert stored["stock"] == 18
    assert shopper_variants(client)["VAR-BLK-M"] == {
        "sku": "VAR-BLK-M", "size": "M", "color": "black", "available": True, "lowStock": False}


def test_the_same_stock_again_changes_nothing(client, auth, db, dress):
    before = db.products.find_one({"sku": DRESS})["updatedAt"]
    assert stock(client, auth, "VAR-BLK-S", 5).get_json() == {
        "sku": "VAR-BLK-S", "stock": 5, "previous": 5}
    assert db.products.find_one({"sku": DRESS})["updatedAt"] == before


def test_selling_out_every_variant_takes_the_product_out_of_stock(client, auth, db, dress):
    for sku in ("VAR-BLK-S", "VAR-NVY-S", "VAR-NVY-M"):
        stock(client, auth, sku, 0)
    stored = db.products.find_one({"sku": DRESS})
    assert (stored["stock"], stored["inStock"]) == (0, False)
    found = client.get(f"{SHOP}/products", query_string={"q": "satin slip"}).get_json()
    assert [p["inStock"] for p in found["items"]] == [False]


def test_a_re_put_of_the_old_body_after_a_stock_change_is_an_update(client, auth, dress):
    stock(client, auth, "VAR-BLK-M", 9)
    again = client.post(f"{API}/products/batch", headers=auth,
                        json={"products": [{"sku": DRESS, **dress_body()}]}).get_json()
    assert again["results"] == [{"sku": DRESS, "status": "updated"}]


def test_a_product_without_variants_takes_its_own_sku(client, auth, db):
    assert stock(client, auth, "AUR-TP-0001", 2).status_code == 200
    stored = db.products.find_one({"sku": "AUR-TP-0001"})
    assert (stored["stock"], stored["inStock"]) == (2, True)
    assert shopper_variants(client, "AUR-TP-0001")["AUR-TP-0001"]["lowStock"] is True


def test_an_unknown_sku_is_not_found(client, auth):
    answer = stock(client, auth, "NO-SUCH-SKU", 1)
    assert answer.status_code == 404
    assert answer.get_json()["code"] == "product_not_found"


def test_the_sku_of_a_product_with_variants_is_refused(client, auth, dress):
    answer = stock(client, auth, DRESS, 1)
    assert answer.status_code == 422
    assert list(answer.get_json()["errors"]) == ["sku"]


@pytest.mark.parametrize("value", [-1, 1_000_001, 1.5, "3", None, True])
def test_a_bad_stock_is_refused_and_nothing_changes(client, auth, db, dress, value):
    answer = stock(client, auth, "VAR-BLK-S", value)
    assert answer.status_code == 422
    assert list(answer.get_json()["errors"]) == ["stock"]
    assert db.products.find_one({"sku": DRESS})["variants"][0]["stock"] == 5


def test_a_batch_sets_each_alone(client, auth, db, dress):
    answer = client.post(f"{API}/inventory/batch", headers=auth, json={"items": [
        {"sku": "VAR-BLK-M", "stock": 3}, {"sku": "NOPE-0001", "stock": 1},
        {"sku": "VAR-NVY-M", "stock": 7}, {"sku": "VAR-NVY-S", "stock": -2},
        {"sku": "var-blk-m", "stock": 8}, {"sku": "AUR-TP-0002", "stock": 0}, "junk"]})
    assert answer.status_code == 200
    results = answer.get_json()["results"]
    assert [r["status"] for r in results] == ["updated", "rejected", "unchanged", "rejected",
                                              "rejected", "updated", "rejected"]
    assert results[1] == {"sku": "NOPE-0001", "status": "rejected",
                          "errors": {"sku": ["No product or variant has this sku."]}}
    assert list(results[3]["errors"]) == ["stock"]
    assert results[4]["errors"] == {"sku": ["Repeats element 0 of this batch."]}
    stored = db.products.find_one({"sku": DRESS})
    assert [v["stock"] for v in stored["variants"]] == [5, 3, 2, 7]
    assert db.products.find_one({"sku": "AUR-TP-0002"})["inStock"] is False


@pytest.mark.parametrize("items", [[], [{"sku": "VAR-BLK-S", "stock": 1}] * 1001])
def test_a_batch_holds_1_to_1000_items(client, auth, items):
    answer = client.post(f"{API}/inventory/batch", headers=auth, json={"items": items})
    assert answer.status_code == 422
    assert list(answer.get_json()["errors"]) == ["items"]


def test_inventory_needs_the_catalog_scope(client, make_key, dress):
    key, _ = make_key("orders:write")
    answer = client.put(f"{API}/inventory/VAR-BLK-S", json={"stock": 1},
                        headers={"Authorization": f"Bearer {key}"})
    assert answer.status_code == 403
    assert client.put(f"{API}/inventory/VAR-BLK-S", json={"stock": 1}).status_code == 401


def test_a_write_meanwhile_is_read_again_not_overwritten(client, auth, db, dress, races):
    def other_worker(database, args, kwargs):
        database.products.update_one({"sku": DRESS}, {"$set": {
            "variants.0.stock": 40, "updatedAt": db.products.find_one(
                {"sku": DRESS})["updatedAt"].replace(year=2100)}})
    races.before("products", "bulk_write", other_worker)
    assert stock(client, auth, "VAR-NVY-M", 1).status_code == 200
    stored = db.products.find_one({"sku": DRESS})
    assert [v["stock"] for v in stored["variants"]] == [40, 0, 2, 1]
    assert stored["stock"] == 43
