"""Every query the merchant API sends is served by a declared index."""

from __future__ import annotations

from ..support.queries import unserved
from .conftest import API, order_body, product_body


def test_every_merchant_query_is_index_backed(client, auth, make_key, query_log):
    key, _ = make_key("catalog:write", "orders:write")
    stored = {"Authorization": f"Bearer {key}"}
    client.put(f"{API}/products/AUR-QRY-0001", json=product_body(), headers=stored)
    client.post(f"{API}/products/batch", headers=auth,
                json={"products": [{"sku": "AUR-QRY-0002", **product_body()}]})
    client.delete(f"{API}/products/AUR-QRY-0001", headers=auth)
    client.get("/api/concierge/products")
    client.get("/api/concierge/products/AUR-QRY-0002")
    client.put(f"{API}/orders/GG-50001", json=order_body(), headers=auth)
    client.post(f"{API}/orders/batch", headers=auth,
                json={"orders": [{"orderNumber": "GG-50002", **order_body()}]})
    client.post(f"{API}/orders/GG-50001/events", headers=auth, json={
        "eventId": "q-1", "status": "delivered", "at": "2026-02-01T00:00:00Z",
        "description": "Delivered"})
    collections = {q["collection"] for q in query_log.queries}
    assert {"apiKeys", "products", "orders", "orderEvents", "orderSubscriptions"} <= collections
    assert unserved(query_log) == []
