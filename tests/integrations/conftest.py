"""Fixtures for platform webhooks: both secrets set, samples signed and sent as the platforms do."""

from __future__ import annotations

import json

import pytest

from ..support.platforms import (
    API,
    SHOPIFY_SECRET,
    WOO_SECRET,
    big_product,
    sample,
    shopify_headers,
    woo_headers,
)

__all__ = ["API", "Platform", "big_product", "sample", "shopify_headers", "woo_headers"]


@pytest.fixture
def config(clock) -> dict:
    """Settings with both platforms' secrets."""
    return {"TESTING": True, "MONGO_URI": "", "CONCIERGE_DATA_DIR": "memory",
            "RATELIMIT_ENABLED": False, "LOG_LEVEL": "WARNING", "CLOCK": clock,
            "OUTBOX_WORKER": False, "CONCIERGE_SHOPIFY_WEBHOOK_SECRET": SHOPIFY_SECRET,
            "CONCIERGE_WOOCOMMERCE_WEBHOOK_SECRET": WOO_SECRET}


class Platform:
    """Send signed webhooks to one platform's endpoint."""

    def __init__(self, client, name: str, headers):
        self.client, self.name, self.headers = client, name, headers

    def send(self, topic: str, payload, delivery_id: str | None = None, **changes):
        """Sign and post a payload (a dict, or bytes as they are); return the response."""
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        headers = {**self.headers(topic, body, delivery_id), **changes}
        headers = {k: v for k, v in headers.items() if v is not None}
        return self.client.post(f"{API}/{self.name}/webhooks", data=body, headers=headers)


@pytest.fixture
def shopify(client) -> Platform:
    """Shopify, sending to the app under test."""
    return Platform(client, "shopify", shopify_headers)


@pytest.fixture
def woo(client) -> Platform:
    """WooCommerce, sending to the app under test."""
    return Platform(client, "woocommerce", woo_headers)
