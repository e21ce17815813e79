"""Products with variants through the merchant API: derived fields, skus, bad bodies."""

from __future__ import annotations

import pytest

from .conftest import API, product_body
from .variants import DRESS, dress_body, variant

SHOP = "/api/concierge"


def put(client, auth, sku, body):
    return client.put(f"{API}/products/{sku}", json=body, headers=auth)


def batch(client, auth, products):
    return client.post(f"{API}/products/batch", json={"products": products}, headers=auth)


def test_a_product_with_variants_derives_sizes_colours_stock_and_price(client, auth, db):
    answer = put(client, auth, DRESS, dress_body())
    assert answer.status_code == 201, answer.get_json()
    stored = db.products.find_one({"sku": DRESS})
    assert stored["sizes"] == ["S", "M"]
    assert stored["colors"] == ["black", "navy"]
    assert stored["stock"] == 14
    assert stored["inStock"] is True
    assert stored["price"] == {"amount": 9900, "currency": "USD"}  # the lowest
    assert [v["sku"] for v in stored["variants"]] == ["VAR-BLK-S", "VAR-BLK-M", "VAR-NVY-S",
                                                      "VAR-NVY-M"]
    assert stored["variants"][0]["price"] == {"amount": 13900, "currency": "USD"}
    assert stored["skus"] == [DRESS, "VAR-BLK-S", "VAR-BLK-M", "VAR-NVY-S", "VAR-NVY-M"]
    assert answer.get_json()["variants"][1] == {
        "sku": "VAR-BLK-M", "size": "M", "color": "black", "stock": 0,
        "price": {"amount": 13900, "currency": "USD"}}


def test_sizes_and_colours_sent_with_variants_give_their_order(client, auth, db):
    put(client, auth, DRESS, dress_body(sizes=["M", "S"], colors=["Navy", "black"], stock=14))
    stored = db.products.find_one({"sku": DRESS})
    assert (stored["sizes"], stored["colors"]) == (["M", "S"], ["navy", "black"])


def test_a_product_without_variants_is_stored_as_before(client, auth, db):
    put(client, auth, "AUR-PLAIN-0001", product_body())
    stored = db.products.find_one({"sku": "AUR-PLAIN-0001"})
    assert "variants" not in stored
    assert stored["skus"] == ["AUR-PLAIN-0001"]
    shopper = client.get(f"{SHOP}/products/AUR-PLAIN-0001").get_json()
    assert shopper["variants"] == [{"sku": "AUR-PLAIN-0001", "size": None, "color": None,
                                    "available": True, "lowStock": False}]


def test_the_same_body_again_is_unchanged(client, auth):
    put(client, auth, DRESS, dress_body())
    answer = batch(client, auth, [{"sku": DRESS, **dress_body()}])
    assert answer.get_json()["results"] == [{"sku": DRESS, "status": "unchanged"}]


def test_variants_replaced_free_the_skus_they_drop(client, auth, db):
    put(client, auth, DRESS, dress_body())
    fewer = dress_body(variants=[variant("VAR-BLK-S", "S", "black", 1)])
    assert put(client, auth, DRESS, fewer).status_code == 200
    other = product_body(variants=[variant("VAR-NVY-M", "M", "navy", 3)])
    for name in ("colors", "sizes", "stock"):
        other.pop(name)
    assert put(client, auth, "AUR-OTHER-0001", other).status_code == 201


@pytest.mark.parametrize(("body", "field"), [
    (dress_body(variants=[variant("VAR-A", "S", "black", 1), variant("var-a", "M", "black", 1)]),
     "variants.1.sku"),
    (dress_body(variants=[variant("VAR-A", "S", "black", -1)]), "variants.0.stock"),
    (dress_body(variants=[variant("VAR-A", "S", "black", 1.5)]), "variants.0.stock"),
    (dress_body(variants=[variant("VAR-A", "S", "black", "3")]), "variants.0.stock"),
    (dress_body(variants=[variant("VAR-A", "S", "black", 1_000_001)]), "variants.0.stock"),
    (dress_body(variants=[variant(f"VAR-{n:03}", "S", "black", 1) for n in range(101)]),
     "variants"),
    (dress_body(variants=[]), "variants"),
    (dress_body(variants=[variant("VAR A", "S", "black", 1)]), "variants.0.sku"),
    (dress_body(variants=[variant("VAR-A", "S", "black", 1, colour="red")]),
     "variants.0.colour"),
    (dress_body(variants=[variant(DRESS, "S", "black", 1)]), "variants.0.sku"),
    (dress_body(stock=3), "stock"),
    (dress_body(sizes=["S", "M", "L"]), "sizes"),
    (dress_body(colors=["black"]), "colors"),
    ({k: v for k, v in dress_body().items() if k != "price"} | {
        "variants": [variant("VAR-A", "S", "black", 1)]}, "variants.0.price"),
    (dress_body(variants=[variant("VAR-A", "S", "black", 1,
                                  price={"amount": 100, "currency": "EUR"})]),
     "variants.0.price"),
    ({k: v for k, v in product_body().items() if k != "stock"}, "stock"),
])
def test_a_bad_body_is_refused_naming_the_field_and_nothing_is_written(client, auth, db,
                                                                         body, field):
    answer = put(client, auth, DRESS, body)
    assert answer.status_code == 422, answer.get_json()
    assert field in answer.get_json()["errors"], answer.get_json()["errors"]
    assert db.products.find_one({"sku": DRESS}) is None


def test_a_variant_sku_equal_to_another_products_sku_is_refused(client, auth, db):
    body = dress_body(variants=[variant("AUR-DR-0001", "S", "black", 1)])
    answer = put(client, auth, DRESS, body)
    assert answer.status_code == 422
    assert answer.get_json()["errors"] == {
        "variants.0.sku": ["Already the sku of product AUR-DR-0001."]}
    assert db.products.find_one({"sku": DRESS}) is None


def test_a_variant_sku_of_another_product_is_refused_and_so_is_a_product_sku(client, auth, db):
    put(client, auth, DRESS, dress_body())
    again = dress_body(variants=[variant("VAR-NVY-M", "M", "navy", 1)])
    answer = put(client, auth, "AUR-VAR-OTHER", again)
    assert answer.get_json()["errors"] == {
        "variants.0.sku": [f"Already a variant sku of product {DRESS}."]}
    plain = put(client, auth, "VAR-BLK-S", product_body())
    assert plain.status_code == 422
    assert plain.get_json()["errors"] == {"sku": [f"Already a variant sku of product {DRESS}."]}
    assert db.products.count_documents({"sku": {"$in": ["AUR-VAR-OTHER", "VAR-BLK-S"]}}) == 0


def test_a_batch_rejects_only_the_product_whose_sku_is_taken(client, auth, db):
    put(client, auth, DRESS, dress_body())
    first = dress_body(variants=[variant("VAR-NEW-1", "S", "black", 1)])
    second = dress_body(variants=[variant("VAR-NEW-1", "M", "black", 1)])
    third = dress_body(variants=[variant("VAR-BLK-M", "M", "black", 1)])
    results = batch(client, auth, [{"sku": "AUR-B-1", **first}, {"sku": "AUR-B-2", **second},
                                   {"sku": "AUR-B-3", **third}]).get_json()["results"]
    assert results == [
        {"sku": "AUR-B-1", "status": "created"},
        {"sku": "AUR-B-2", "status": "rejected", "errors": {
            "variants.0.sku": ["Already a variant sku of product AUR-B-1 in this batch."]}},
        {"sku": "AUR-B-3", "status": "rejected", "errors": {
            "variants.0.sku": [f"Already a variant sku of product {DRESS}."]}}]
    assert db.products.count_documents({"sku": {"$in": ["AUR-B-2", "AUR-B-3"]}}) == 0
