"""Every query shape the repositories issue is served by a declared index."""

from __future__ import annotations

import io

import pytest

from .merchant.variants import DRESS, dress_body
from .support.queries import served, unserved

MERCHANT_KEY = "test-merchant-key-0123456789abcdef"


@pytest.fixture
def config(config) -> dict:
    """A merchant key with every scope, for the catalogue's writes."""
    return {**config, "CONCIERGE_MERCHANT_KEY": MERCHANT_KEY}


def test_checker_refuses_an_unindexed_query():
    assert not served("orders", {"carrier": "UPS"}, None)
    assert not served("products", {}, None)
    assert served("products", {}, "rank")
    assert served("orders", {"orderNumber": "GG-1", "email": "x"}, None)


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), "tan").save(buffer, "PNG")
    return buffer.getvalue()


def walk(client, headers):
    """Call every endpoint once, the way the widget does."""
    api = "/api/concierge"
    client.get(f"{api}/health")
    client.get(f"{api}/config", headers=headers)
    client.post(f"{api}/orders/lookup", headers=headers,
                json={"orderNumber": "GG-11982", "email": "avery.stone@example.com"})


def test_every_query_of_every_journey_is_index_backed(client, query_log, session_headers):
    walk(client, session_headers)
    # The flag is read once (then cached for a second), the order once.
    assert {q["collection"] for q in query_log.queries} >= {"featureFlags", "orders"}
    assert unserved(query_log) == []


def test_the_demo_showcase_reads_live_products_by_equality_so_the_index_sorts(client,
                                                                              query_log):
    assert client.get("/demo").status_code == 200
    showcase = [q for q in query_log.queries
                if q["collection"] == "products" and q.get("sort") == "rank"]
    # {"$ne": True} would match through the whole index (MongoDB then sorts in memory).
    assert showcase
    assert all(q["filter"] == {"archived": False} for q in showcase)
def test_every_query_of_variants_is_index_backed(client, query_log, session_headers):
    api, merchant = "/api/concierge", {"Authorization": f"Bearer {MERCHANT_KEY}"}
    assert client.put(f"{api}/merchant/products/{DRESS}", json=dress_body(),
                      headers=merchant).status_code == 201
    client.post(f"{api}/merchant/products/batch", headers=merchant,
                json={"products": [{"sku": DRESS, **dress_body()}]})
    assert client.put(f"{api}/merchant/inventory/VAR-BLK-M", json={"stock": 2},
                      headers=merchant).status_code == 200
    client.post(f"{api}/merchant/inventory/batch", headers=merchant,
                json={"items": [{"sku": "VAR-NVY-S", "stock": 0}, {"sku": "NONE-1", "stock": 1}]})
    assert client.get(f"{api}/products/VAR-BLK-S", headers=session_headers).status_code == 200
    client.get(f"{api}/products", headers=session_headers,
               query_string={"color": "black", "size": "M", "inStock": "true"})
    assert client.post(f"{api}/shortlists", headers=session_headers,
                       json={"skus": ["VAR-BLK-S", "AUR-DR-0001"]}).status_code == 201
    reads = [q for q in query_log.queries if q["collection"] == "products"]
    assert any("skus" in str(q["filter"]) for q in reads)
    assert unserved(query_log) == []
