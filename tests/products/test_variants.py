"""Search, facets and product pages with variants: one variant answers size, colour and
stock together (the table of API.md section 22)."""

from __future__ import annotations

import pytest

from concierge.products.freshness import CatalogIndex

from ..merchant.conftest import API, BOOTSTRAP
from ..merchant.variants import DRESS, dress_body

URL = "/api/concierge/products"
AUTH = {"Authorization": f"Bearer {BOOTSTRAP}"}


@pytest.fixture
def config(config) -> dict:
    """A merchant key, and an index that looks for changes on every search."""
    return {**config, "CONCIERGE_MERCHANT_KEY": BOOTSTRAP, "SEARCH_REFRESH_MS": 0}


@pytest.fixture
def dress(client):
    """Black S (5) and navy M (7) in stock, black M sold out, navy S 2 left."""
    answer = client.put(f"{API}/products/{DRESS}", json=dress_body(), headers=AUTH)
    assert answer.status_code == 201, answer.get_json()


def search(client, **params) -> dict:
    answer = client.get(URL, query_string={"pageSize": 50, **params})
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def skus(client, **params) -> list[str]:
    """Return the skus that match (a search that found nothing offers others: not these)."""
    answer = search(client, **params)
    return [p["sku"] for p in answer["items"]] if answer["total"] else []


@pytest.mark.parametrize(("params", "found"), [
    ({"color": "black", "size": "M", "inStock": "true"}, False),  # black M sold out
    ({"color": "black", "size": "S", "inStock": "true"}, True),
    ({"color": "navy", "size": "M", "inStock": "true"}, True),
    ({"color": "navy", "size": "S", "inStock": "true"}, True),
    ({"color": "black", "size": "M"}, True),  # exists, sold out
    ({"color": "black", "size": "M", "inStock": "false"}, True),
    ({"color": "navy", "size": "M", "inStock": "false"}, False),
    ({"inStock": "false"}, False),  # some variant is available
    ({"q": "satin slip", "inStock": "true"}, True),
    ({"color": "black", "size": "L"}, False),
    ({"color": "ivory"}, False),
    ({"q": "black dress in M in stock"}, False),
    ({"q": "black satin dress in S in stock"}, True),
    ({"q": "navy slip dress size M in stock"}, True),
    ({"q": "black dress in M"}, True),
    ({"q": "blue slip dress in M in stock"}, True),  # a colour family: navy is blue
])
def test_size_colour_and_stock_filter_one_variant(client, dress, params, found):
    assert (DRESS in skus(client, **params)) is found


def test_free_text_answers_truthfully_for_every_product(client, dress):
    answer = search(client, q="black dress in M in stock")
    assert answer["interpretation"]["colors"] == ["black"]
    assert answer["interpretation"]["sizes"] == ["M"]
    assert answer["interpretation"]["inStock"] is True
    for product in answer["items"] if answer["total"] else ():
        assert any(v["available"] and v["size"] in ("M", None) and v["color"] in ("black", None)
                   for v in product["variants"]), product["sku"]


def test_facets_count_products_with_a_matching_available_variant(client, dress):
    everything = search(client, q="satin slip")
    assert everything["facets"]["sizes"] == {"S": 1, "M": 1}
    assert everything["facets"]["colors"] == {"black": 1, "navy": 1}
    black = search(client, q="satin slip", color="black")
    assert black["facets"]["sizes"] == {"S": 1}  # its M is sold out
    size_m = search(client, q="satin slip", size="M")
    assert size_m["facets"]["colors"] == {"navy": 1}


def test_facets_with_a_colour_family_count_each_product_once(client):
    for sku, color in (("AUR-FAM-1", "Burgundy"), ("AUR-FAM-2", "Rust")):
        body = dress_body(name="Corduroy Pinafore", variants=[
            {"sku": f"{sku}-S", "size": "S", "color": color, "stock": 1},
            {"sku": f"{sku}-S2", "size": "S", "color": "Burgundy" if color == "Rust"
             else "Rust", "stock": 1}])
        assert client.put(f"{API}/products/{sku}", json=body, headers=AUTH).status_code == 201
    answer = search(client, q="red corduroy pinafore")
    assert answer["total"] == 2
    assert answer["facets"]["sizes"] == {"S": 2}


def test_shoppers_see_availability_never_stock(client, dress):
    product = next(p for p in search(client, q="satin slip")["items"] if p["sku"] == DRESS)
    assert product["variants"] == [
        {"sku": "VAR-BLK-S", "size": "S", "color": "black", "available": True,
         "lowStock": False},
        {"sku": "VAR-BLK-M", "size": "M", "color": "black", "available": False,
         "lowStock": False},
        {"sku": "VAR-NVY-S", "size": "S", "color": "navy", "available": True,
         "lowStock": True},
        {"sku": "VAR-NVY-M", "size": "M", "color": "navy", "available": True,
         "lowStock": False}]
    assert product["price"] == {"amount": 9900, "currency": "USD"}
    assert "stock" not in product


def test_a_variant_sku_opens_its_product_with_the_variant_selected(client, dress):
    answer = client.get(f"{URL}/var-blk-m")
    assert answer.status_code == 200
    product = answer.get_json()
    assert product["sku"] == DRESS
    assert product["selectedVariant"] == "VAR-BLK-M"
    assert all("stock" not in v for v in product["variants"])
    assert "selectedVariant" not in client.get(f"{URL}/{DRESS}").get_json()


def test_an_archived_products_variant_sku_is_not_found(client, dress):
    assert client.delete(f"{API}/products/{DRESS}", headers=AUTH).status_code == 200
    answer = client.get(f"{URL}/VAR-BLK-S")
    assert answer.status_code == 404
    assert answer.get_json()["code"] == "product_not_found"


def test_a_stock_change_reaches_search_at_once_here(client, dress):
    assert DRESS not in skus(client, color="black", size="M", inStock="true")
    client.put(f"{API}/inventory/VAR-BLK-M", json={"stock": 1}, headers=AUTH)
    assert DRESS in skus(client, color="black", size="M", inStock="true")
    client.post(f"{API}/inventory/batch", headers=AUTH, json={"items": [
        {"sku": s, "stock": 0} for s in ("VAR-BLK-S", "VAR-BLK-M", "VAR-NVY-S", "VAR-NVY-M")]})
    assert DRESS in skus(client, q="satin slip", inStock="false")


def test_every_worker_sees_a_stock_change(app, client, dress):
    workers = [CatalogIndex(0), CatalogIndex(0)]
    plan = {"colors": ["black"], "sizes": ["M"], "in_stock": True}
    with app.app_context():
        for worker in workers:
            assert _matches(worker, plan) is False
        client.put(f"{API}/inventory/VAR-BLK-M", json={"stock": 3}, headers=AUTH)
        for worker in workers:
            assert _matches(worker, plan) is True


def _matches(worker: CatalogIndex, filters: dict) -> bool:
    from concierge.products.engine import Plan

    found = worker.current().search(Plan(limit=50, **filters))["items"]
    return DRESS in [p["sku"] for p in found]
