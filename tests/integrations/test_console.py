"""The console lists each platform's latest deliveries and what became of them."""

from __future__ import annotations

import pytest

from ..console.activity import TOKEN
from ..console.conftest import Staff
from .conftest import sample


@pytest.fixture
def config(config):
    return {**config, "CONCIERGE_ADMIN_TOKEN": TOKEN}


def test_the_page_shows_applied_duplicate_ignored_and_refused_deliveries(client, shopify, woo):
    shopify.send("products/create", sample("shopify", "products-create"), "d-1")
    shopify.send("products/create", sample("shopify", "products-create"), "d-1")
    shopify.send("carts/create", {"id": 1})
    shopify.send("orders/create", sample("shopify", "orders-create"),
                 **{"X-Shopify-Hmac-Sha256": "forged"})
    woo.send("order.created", sample("woocommerce", "order-created"))
    staff = Staff(client)
    assert staff.sign_in().status_code == 303
    page = staff.get("/console/integrations")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    shopify_part, woo_part = html.split('id="woocommerce-h"')
    for words in ("products/create", "Applied", "Duplicate", "carts/create", "Ignored",
                  "topic_not_used", "orders/create", "Refused", "invalid_signature"):
        assert words in shopify_part, words
    assert "order.created" in woo_part
    assert "maya.chen@example.com" not in html
    assert 'href="/console/integrations" aria-current="page"' in html


def test_the_page_is_for_signed_in_staff_only(client):
    answer = client.get("/console/integrations")
    assert answer.status_code == 302
    assert "/console/sign-in" in answer.headers["Location"]
