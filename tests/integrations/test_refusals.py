"""Bad deliveries: the documented status, nothing written, nothing of the store in the answer."""

from __future__ import annotations

import json

import pytest

from concierge import create_app

from .conftest import API, Platform, sample, shopify_headers, woo_headers

PLATFORMS = {"shopify": ("products/create", "products-create", shopify_headers,
                         "X-Shopify-Hmac-Sha256", "X-Shopify-Topic"),
             "woocommerce": ("product.created", "product-created", woo_headers,
                             "X-WC-Webhook-Signature", "X-WC-Webhook-Topic")}


@pytest.fixture
def config(config):
    return {**config, "CONCIERGE_METRICS_PUBLIC": True}


def snapshot(db) -> dict:
    """Count what a webhook could write."""
    return {name: db[name].count_documents({}) for name in (
        "products", "orders", "orderEvents", "outbox", "platformLinks", "platformWebhookIds",
        "audit")} | {"version": (db.catalogChanges.find_one() or {}).get("version")}


def altered(body: bytes) -> bytes:
    """Change one byte of the body (a digit of a price)."""
    at = body.index(b'"189.00"') + 1 if b'"189.00"' in body else body.index(b'"159"') + 1
    return body[:at] + (b"2" if body[at:at + 1] != b"2" else b"3") + body[at + 1:]


CASES = {
    "missing signature": (lambda body, h, sig, topic: (body, {**h, sig: None}), 401,
                          "invalid_signature"),
    "wrong signature": (lambda body, h, sig, topic: (body, {**h, sig: "AAAA" + h[sig][4:]}),
                        401, "invalid_signature"),
    "body altered by one byte": (lambda body, h, sig, topic: (altered(body), h), 401,
                                 "invalid_signature"),
    "signature sent as hex": (lambda body, h, sig, topic: (body, {**h, sig: "ab" * 32}), 401,
                              "invalid_signature"),
    "non-ASCII signature": (lambda body, h, sig, topic: (body, {**h, sig: "é" * 44}), 401,
                            "invalid_signature"),
    "missing topic": (lambda body, h, sig, topic: (body, {**h, topic: None}), 400,
                      "missing_topic"),
    "malformed JSON": (lambda body, h, sig, topic: (body[:-5], None), 400, "malformed_json"),
    "not JSON": (lambda body, h, sig, topic: (body, {**h, "Content-Type": "text/plain"}), 415,
                 "unsupported_media_type"),
}


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
@pytest.mark.parametrize("case", sorted(CASES))
def test_a_bad_delivery_gets_its_status_and_changes_nothing(client, db, platform, case):
    topic, name, headers_for, signature, topic_header = PLATFORMS[platform]
    body = json.dumps(sample(platform, name)).encode()
    change, status, code = CASES[case]
    sent, headers = change(body, headers_for(topic, body), signature, topic_header)
    if headers is None:  # a body that is not JSON, correctly signed
        headers = headers_for(topic, sent)
    before = snapshot(db)
    answer = client.post(f"{API}/{platform}/webhooks", data=sent,
                         headers={k: v for k, v in headers.items() if v is not None})
    assert answer.status_code == status
    assert answer.headers["Content-Type"] == "application/problem+json"
    problem = answer.get_json()
    assert problem["code"] == code
    assert set(problem) <= {"type", "title", "status", "code", "detail", "requestId"}
    assert "silk" not in answer.get_data(as_text=True).lower()
    assert "blazer" not in answer.get_data(as_text=True).lower()
    assert snapshot(db) == before
    logged = db.platformDeliveries.find_one({"platform": platform})
    assert (logged["outcome"], logged["reason"]) == ("refused", code)


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_without_its_secret_a_platforms_endpoint_is_404(clock, platform):
    app = create_app({"TESTING": True, "CONCIERGE_DATA_DIR": "memory", "OUTBOX_WORKER": False,
                      "RATELIMIT_ENABLED": False, "LOG_LEVEL": "WARNING", "CLOCK": clock})
    topic, name, headers_for, *_ = PLATFORMS[platform]
    body = json.dumps(sample(platform, name)).encode()
    answer = app.test_client().post(f"{API}/{platform}/webhooks", data=body,
                                    headers=headers_for(topic, body))
    assert answer.status_code == 404
    assert answer.get_json()["code"] == "not_found"


def test_a_signature_with_another_platforms_secret_is_refused(client, db):
    body = json.dumps(sample("shopify", "products-create")).encode()
    headers = shopify_headers("products/create", body)
    headers["X-Shopify-Hmac-Sha256"] = woo_headers("product.created", body)[
        "X-WC-Webhook-Signature"]
    assert client.post(f"{API}/shopify/webhooks", data=body,
                       headers=headers).status_code == 401
    assert db.products.find_one({"sku": "SILK-WRAP-DRESS"}) is None


def test_metrics_count_each_outcome_and_reason(client, shopify):
    shopify.send("products/create", sample("shopify", "products-create"))
    shopify.send("carts/update", {"id": 1})
    shopify.send("products/create", sample("shopify", "products-create"),
                 **{"X-Shopify-Hmac-Sha256": "wrong"})
    text = client.get("/metrics").get_data(as_text=True)
    for outcome, reason in (("applied", ""), ("ignored", "topic_not_used"),
                            ("refused", "invalid_signature")):
        assert (f'concierge_platform_webhooks_total{{outcome="{outcome}",platform="shopify",'
                f'reason="{reason}"}}') in text


def test_a_well_signed_array_is_ignored(shopify: Platform):
    answer = shopify.send("products/create", [1, 2, 3])
    assert answer.get_json() == {"status": "ignored", "reason": "not_an_object"}
