"""Every query a platform webhook makes is served by a declared index."""

from __future__ import annotations

from ..support.queries import unserved
from .conftest import sample

SHOPIFY = [("products/create", "products-create"),
           ("inventory_levels/update", "inventory_levels-update"),
           ("orders/create", "orders-create"), ("fulfillments/create", "fulfillments-create"),
           ("orders/cancelled", "orders-cancelled"),
           ("customers/data_request", "customers-data_request"),
           ("products/delete", "products-delete"), ("customers/redact", "customers-redact")]
WOO = [("product.created", "product-created"), ("product.updated", "product-updated-variation"),
       ("order.created", "order-created"), ("product.deleted", "product-deleted")]


def test_every_topics_queries_are_index_backed(shopify, woo, query_log):
    for topic, name in SHOPIFY:
        assert shopify.send(topic, sample("shopify", name)).status_code == 200, topic
    for topic, name in WOO:
        assert woo.send(topic, sample("woocommerce", name)).status_code == 200, topic
    shopify.send("products/create", sample("shopify", "products-create"), "same")
    shopify.send("products/create", sample("shopify", "products-create"), "same")
    searched = {q["collection"] for q in query_log.queries}
    assert {"platformLinks", "platformWebhookIds", "products", "orders"} <= searched
    assert unserved(query_log) == []
