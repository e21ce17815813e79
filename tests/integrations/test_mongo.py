"""Against a real MongoDB (MONGO_URI): every Shopify topic, duplicates by a unique _id, TTL."""

from __future__ import annotations

import pytest

from ..support.platforms import shopify_headers
from .conftest import Platform, sample

pytestmark = pytest.mark.mongo


def test_the_samples_apply_on_mongodb_and_a_repeat_is_a_duplicate(real_app):
    client = real_app.test_client()
    shopify = Platform(client, "shopify", shopify_headers)
    for topic, name in (("products/create", "products-create"),
                        ("inventory_levels/update", "inventory_levels-update"),
                        ("orders/create", "orders-create"),
                        ("fulfillments/create", "fulfillments-create")):
        assert shopify.send(topic, sample("shopify", name)).get_json() == {
            "status": "applied"}, topic
    again = shopify.send("products/create", sample("shopify", "products-create"), "one")
    assert again.get_json() == {"status": "applied"}
    assert shopify.send("products/create", sample("shopify", "products-create"),
                        "one").get_json() == {"status": "duplicate"}
    order = client.post("/api/concierge/orders/lookup",
                        json={"orderNumber": "1042", "email": "maya.chen@example.com"})
    assert order.get_json()["trackingNumber"] == "1Z999AA10123456784"
    db = real_app.extensions["concierge_store"].database()
    ttl = db.platformWebhookIds.index_information()["ttl_platform_webhook_ids"]
    assert ttl["expireAfterSeconds"] == 48 * 3600
