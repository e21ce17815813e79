"""The sizes a set of products comes in (capsule pages), and the order sizes are listed in."""

from __future__ import annotations

import pytest

from concierge.products import service

from .test_freshness import product


def sizes_of(app, skus: list[str]) -> tuple[str, ...]:
    with app.app_context():
        return service.sizes_offered(skus)


def test_sizes_are_listed_letters_from_xs_then_numbers_then_the_rest():
    given = ["W32", "10", "One Size", "XL", "2", "L", "M", "S", "XS", "A"]
    assert sorted(given, key=service.size_order) == [
        "XS", "S", "M", "L", "XL", "One Size", "2", "10", "A", "W32"]


def test_the_sizes_offered_are_every_size_of_the_products_once_smallest_first(app, db):
    db.products.insert_many([
        product("NEW-SZ-0001", "Tulle Skirt", sizes=["L", "S", "XS"]),
        product("NEW-SZ-0002", "Tulle Top", sizes=["M", "S", "One Size"]),
        product("NEW-SZ-0003", "Tulle Trousers", sizes=["12", "8"])])
    assert sizes_of(app, ["NEW-SZ-0003", "NEW-SZ-0001", "NEW-SZ-0002"]) == (
        "XS", "S", "M", "L", "One Size", "8", "12")
    assert sizes_of(app, ["NEW-SZ-0003"]) == ("8", "12")


def test_archived_and_unknown_products_offer_no_sizes(app, db):
    db.products.insert_many([product("NEW-SZ-0004", "Satin Robe", sizes=["XL"]),
                             product("NEW-SZ-0005", "Satin Slip", sizes=["XS"],
                                     archived=True)])
    assert sizes_of(app, ["NEW-SZ-0004", "NEW-SZ-0005", "NEW-NOPE-0001"]) == ("XL",)
    assert sizes_of(app, []) == ()


def test_a_product_stored_without_sizes_offers_none(app, db):
    # Written straight to MongoDB (the index follows such writes), not through the API.
    db.products.insert_many([product("NEW-SZ-0006", "Silk Scarf", sizes=None),
                             {k: v for k, v in product("NEW-SZ-0007", "Silk Tie").items()
                              if k != "sizes"},
                             product("NEW-SZ-0008", "Silk Shirt", sizes=["M"])])
    assert sizes_of(app, ["NEW-SZ-0006", "NEW-SZ-0007", "NEW-SZ-0008"]) == ("M",)


@pytest.fixture
def config(config) -> dict:
    """See product writes on the next read."""
    return {**config, "SEARCH_REFRESH_MS": 0}


def test_the_sizes_offered_follow_a_product_write(app, db):
    db.products.insert_one(product("NEW-SZ-0009", "Linen Dress", sizes=["S"]))
    assert sizes_of(app, ["NEW-SZ-0009"]) == ("S",)
    db.products.update_one({"sku": "NEW-SZ-0009"},
                           {"$set": {"sizes": ["S", "XL"], "updatedAt": product("x", "x")[
                               "updatedAt"]}})
    assert sizes_of(app, ["NEW-SZ-0009"]) == ("S", "XL")


def test_products_by_sku_include_archived_ones(app, db, query_log):
    db.products.update_one({"sku": "AUR-DR-0002"}, {"$set": {"archived": True}})
    stored = db.products.find_one({"sku": "AUR-DR-0001"})
    with app.app_context():
        found = service.by_skus(["AUR-DR-0001", "AUR-DR-0002", "NEW-NOPE-0002"])
        query_log.queries.clear()
        assert service.by_skus([]) == {}
    assert sorted(found) == ["AUR-DR-0001", "AUR-DR-0002"]
    assert found["AUR-DR-0001"]["name"] == stored["name"]
    assert found["AUR-DR-0002"]["archived"] is True
    assert query_log.queries == []  # no skus, no read


def test_a_capsule_holding_a_product_stored_without_sizes_is_still_listed(client, db):
    capsule = db.capsules.find_one({"capsuleId": "capsule-evening-atelier"})
    others = {s for sku in capsule["skus"][1:]
              for s in db.products.find_one({"sku": sku})["sizes"]}
    db.products.update_one({"sku": capsule["skus"][0]}, {
        "$unset": {"sizes": ""}, "$set": {"updatedAt": product("x", "x")["updatedAt"]}})
    response = client.get("/api/concierge/capsules")
    assert response.status_code == 200
    listed = {c["capsuleId"]: c for c in response.get_json()["items"]}[capsule["capsuleId"]]
    assert listed["sizes"] == sorted(others, key=service.size_order)
