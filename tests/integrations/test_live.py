"""Every signed sample, sent over HTTP to a real gunicorn server, changes what a shopper sees."""

from __future__ import annotations

import json
import time

import pytest
import requests

from ..support.live import gunicorn
from ..support.platforms import (
    SHOPIFY_SECRET,
    WOO_SECRET,
    sample,
    shopify_headers,
    woo_headers,
)

pytestmark = pytest.mark.live
EMAIL = "maya.chen@example.com"
WITHIN = 5  # seconds: what a shopper sees follows the platform this soon


@pytest.fixture(scope="module")
def server(tmp_path_factory, module_mail):
    with gunicorn(tmp_path_factory.mktemp("platforms"),
                  CONCIERGE_SHOPIFY_WEBHOOK_SECRET=SHOPIFY_SECRET,
                  CONCIERGE_WOOCOMMERCE_WEBHOOK_SECRET=WOO_SECRET,
                  CONCIERGE_SMTP_URL=module_mail.url, CONCIERGE_PUBLIC_URL="https://shop.aurora.test",
                  CONCIERGE_MAIL_FROM="Aurora <shop@aurora.test>") as live:
        yield live


def send(server, platform: str, topic: str, name: str, **changes) -> requests.Response:
    body = json.dumps({**sample(platform, name), **changes}).encode()
    headers = (shopify_headers if platform == "shopify" else woo_headers)(topic, body)
    return requests.post(server.api(f"/integrations/{platform}/webhooks"), data=body,
                         headers=headers, timeout=5)


def soon(check, within: float = WITHIN):
    """Return check()'s first true answer within the time, else fail."""
    deadline = time.monotonic() + within
    while True:
        found = check()
        if found or time.monotonic() > deadline:
            assert found, "not seen in time"
            return found
        time.sleep(0.1)


def search(server, words: str) -> list[str]:
    answer = requests.get(server.api("/products"), params={"q": words}, timeout=5).json()
    return [item["sku"] for item in answer["items"]]


def variant(server, sku: str, variant_sku: str) -> dict | None:
    answer = requests.get(server.api(f"/products/{sku}"), timeout=5)
    if answer.status_code != 200:
        return None
    return next(v for v in answer.json()["variants"] if v["sku"] == variant_sku)


def order(server, number: str, email: str) -> dict | None:
    answer = requests.post(server.api("/orders/lookup"),
                           json={"orderNumber": number, "email": email}, timeout=5)
    return answer.json() if answer.status_code == 200 else None


def test_shopify_samples_change_search_stock_orders_tracking_and_emails(server, module_mail):
    assert send(server, "shopify", "products/create", "products-create").json() == {
        "status": "applied"}
    soon(lambda: "SILK-WRAP-DRESS" in search(server, "silk wrap dress"))
    assert send(server, "shopify", "inventory_levels/update",
                "inventory_levels-update").status_code == 200
    soon(lambda: variant(server, "SILK-WRAP-DRESS", "AUR-SH-WRAP-BLA-M")["available"])
    assert send(server, "shopify", "orders/create", "orders-create").status_code == 200
    assert soon(lambda: order(server, "1042", EMAIL))["status"] == "processing"
    subscribed = requests.post(server.api("/order-subscriptions"), json={
        "orderNumber": "1042", "email": EMAIL, "channel": "email", "destination": EMAIL},
        timeout=5)
    assert subscribed.status_code == 201, subscribed.text
    assert send(server, "shopify", "fulfillments/create", "fulfillments-create").json() == {
        "status": "applied"}
    shipped = soon(lambda: order(server, "1042", EMAIL))
    assert (shipped["status"], shipped["trackingNumber"]) == ("shipped", "1Z999AA10123456784")
    message = soon(lambda: next((m for m in module_mail.messages if "1042" in m["Subject"]), None),
                   within=10)
    assert message["To"] == EMAIL
    send(server, "shopify", "fulfillments/update", "fulfillments-update")
    soon(lambda: order(server, "1042", EMAIL)["status"] == "delivered")
    send(server, "shopify", "products/delete", "products-delete")
    soon(lambda: "SILK-WRAP-DRESS" not in search(server, "silk wrap dress"))
    assert send(server, "shopify", "customers/redact", "customers-redact").status_code == 200
    assert order(server, "1042", EMAIL) is None


def test_woocommerce_samples_change_search_and_orders(server):
    ping = requests.post(server.api("/integrations/woocommerce/webhooks"),
                         data="webhook_id=12", timeout=5,
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert ping.status_code == 200
    assert send(server, "woocommerce", "product.created", "product-created").status_code == 200
    assert send(server, "woocommerce", "product.updated",
                "product-updated-variation").status_code == 200
    soon(lambda: (variant(server, "AUR-WC-BLAZER", "AUR-WC-BLAZER-SND-M") or {}).get(
        "available"))
    send(server, "woocommerce", "order.created", "order-created")
    send(server, "woocommerce", "order.updated", "order-updated")
    found = soon(lambda: order(server, "1187", "jordan.reyes@example.com"))
    assert found["status"] == "shipped"


def test_a_wrong_signature_changes_nothing(server):
    body = json.dumps({**sample("shopify", "orders-create"), "name": "#7777"}).encode()
    headers = shopify_headers("orders/create", body)
    headers["X-Shopify-Hmac-Sha256"] = shopify_headers("orders/create", body + b" ")[
        "X-Shopify-Hmac-Sha256"]
    answer = requests.post(server.api("/integrations/shopify/webhooks"), data=body,
                           headers=headers, timeout=5)
    assert answer.status_code == 401
    assert answer.json()["code"] == "invalid_signature"
    time.sleep(0.5)
    assert order(server, "7777", EMAIL) is None
