"""Store-platform webhooks as Shopify and WooCommerce send them: samples, secrets, headers."""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
from pathlib import Path

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




def big_product(variants: int = 100) -> dict:
    """The sample product with this many variants (10 sizes by up to 10 shades)."""
    payload = sample("shopify", "products-create")
    template = payload["variants"][0]
    payload["variants"] = [{**template, "id": n, "position": n, "option1": f"{30 + n % 10}",
                            "option2": f"shade {n // 10}", "sku": f"BIG-{n}",
                            "inventory_item_id": 9000 + n} for n in range(1, variants + 1)]
    return payload
