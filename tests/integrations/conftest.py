"""Fixtures for platform webhooks: both secrets set, samples signed and sent as the platforms do."""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"
SHOPIFY_SECRET = "shpss_test_0123456789abcdef"
WOO_SECRET = "wc-test-secret-0123456789"
API = "/api/concierge/integrations"
_ids = itertools.count(1)


def sample(platform: str, name: str) -> dict:
    """Return a sample payload of docs/samples/<platform>/<name>.json."""
    return json.loads((SAMPLES / platform / f"{name}.json").read_text())


def sign(secret: str, body: bytes) -> str:
    """Sign as both platforms do: base64(HMAC-SHA256(secret, body))."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def shopify_headers(topic: str, body: bytes, delivery_id: str | None = None) -> dict:
    """The headers Shopify sends with a webhook."""
    return {"Content-Type": "application/json", "X-Shopify-Topic": topic,
            "X-Shopify-Hmac-Sha256": sign(SHOPIFY_SECRET, body),
            "X-Shopify-Shop-Domain": "aurora-demo.myshopify.com",
            "X-Shopify-API-Version": "2026-01",
            "X-Shopify-Webhook-Id": delivery_id or f"b54557e4-bdd9-4b37-8a5f-{next(_ids):012d}"}


def woo_headers(topic: str, body: bytes, delivery_id: str | None = None) -> dict:
    """The headers WooCommerce sends with a webhook."""
    resource, event = topic.split(".")
    return {"Content-Type": "application/json", "X-WC-Webhook-Topic": topic,
            "X-WC-Webhook-Resource": resource, "X-WC-Webhook-Event": event,
            "X-WC-Webhook-Signature": sign(WOO_SECRET, body), "X-WC-Webhook-ID": "12",
            "X-WC-Webhook-Source": "https://shop.aurora.example/",
            "X-WC-Webhook-Delivery-ID": delivery_id or f"{next(_ids)}"}


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
