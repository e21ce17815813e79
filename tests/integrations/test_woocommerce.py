"""WooCommerce's topics: products with their variations, orders, and the ping."""

from __future__ import annotations

import pytest

from .conftest import API, sample

SHOP = "/api/concierge"


def product(client, sku: str):
    answer = client.get(f"{SHOP}/products/{sku}")
    return answer.get_json() if answer.status_code == 200 else None


def test_the_ping_sent_when_a_webhook_is_saved_is_200_and_changes_nothing(client, db):
    answer = client.post(f"{API}/woocommerce/webhooks", data="webhook_id=12",
                         content_type="application/x-www-form-urlencoded")
    assert answer.status_code == 200
    assert answer.get_json() == {"status": "ignored", "reason": "ping"}
    assert db.platformWebhookIds.count_documents({}) == 0


@pytest.mark.parametrize("body", ["webhook_id=12&x=1", "webhook_id=", "webhook_id=12\n",
                                  "id=12"])
def test_anything_else_unsigned_is_refused(client, body):
    answer = client.post(f"{API}/woocommerce/webhooks", data=body,
                         content_type="application/x-www-form-urlencoded")
    assert answer.status_code == 401


def test_a_variable_product_gets_each_variation_as_a_variant(woo, client, db):
    assert woo.send("product.created", sample("woocommerce", "product-created")).get_json() == {
        "status": "applied"}
    plain = product(client, "AUR-WC-BLAZER")
    assert plain["category"] == "jackets"
    assert plain["sizes"] == ["S", "M", "L"]
    assert plain["url"] == "https://shop.aurora.example/product/linen-blazer/"
    variation = sample("woocommerce", "product-updated-variation")
    assert woo.send("product.updated", variation).get_json() == {"status": "applied"}
    small = {**variation, "id": 741, "sku": "", "stock_quantity": 0,
             "attributes": [{"id": 1, "name": "Size", "option": "S"},
                            {"id": 2, "name": "Color", "option": "Sand"}]}
    woo.send("product.updated", small)
    shown = product(client, "AUR-WC-BLAZER")
    assert [(v["sku"], v["size"], v["color"], v["available"]) for v in shown["variants"]] == [
        ("AUR-WC-BLAZER-SND-M", "M", "sand", True), ("AUR-WC-BLAZER-741", "S", "sand", False)]
    assert product(client, "AUR-WC-BLAZER-SND-M")["selectedVariant"] == "AUR-WC-BLAZER-SND-M"
    # The parent sent again keeps the variations it still lists.
    woo.send("product.updated", {**sample("woocommerce", "product-created"),
                                 "variations": [742]})
    assert [v["sku"] for v in product(client, "AUR-WC-BLAZER")["variants"]] == [
        "AUR-WC-BLAZER-SND-M"]


def test_a_variation_before_its_product_is_404_so_it_is_retried(woo, db):
    answer = woo.send("product.updated", sample("woocommerce", "product-updated-variation"))
    assert answer.status_code == 404
    assert answer.get_json()["code"] == "product_not_found"
    assert db.products.find_one({"sku": "AUR-WC-BLAZER"}) is None


def test_a_product_without_sku_takes_its_slug_and_its_stock(woo, client):
    woo.send("product.updated", sample("woocommerce", "product-updated-simple"))
    shown = product(client, "CASHMERE-BEANIE")
    assert shown["name"] == "Cashmere Beanie"
    assert shown["category"] == "accessories"
    assert shown["colors"] == ["charcoal", "camel"]
    assert shown["inStock"] is True


def test_a_product_not_published_is_archived_and_a_deleted_one_too(woo, client):
    simple = sample("woocommerce", "product-updated-simple")
    woo.send("product.updated", simple)
    woo.send("product.updated", {**simple, "status": "draft"})
    assert product(client, "CASHMERE-BEANIE") is None
    woo.send("product.updated", simple)
    assert product(client, "CASHMERE-BEANIE") is not None
    assert woo.send("product.deleted", sample("woocommerce", "product-deleted")).get_json() == {
        "status": "applied"}
    assert product(client, "CASHMERE-BEANIE") is None


@pytest.mark.parametrize(("status", "shown"), [
    ("pending", "processing"), ("processing", "processing"), ("on-hold", "processing"),
    ("completed", "shipped"), ("cancelled", "cancelled"), ("refunded", "cancelled"),
    ("failed", "cancelled")])
def test_an_orders_status_is_mapped(woo, client, status, shown):
    woo.send("order.created", {**sample("woocommerce", "order-created"), "status": status})
    found = client.post(f"{SHOP}/orders/lookup",
                        json={"orderNumber": "1187", "email": "jordan.reyes@example.com"})
    assert found.status_code == 200
    assert found.get_json()["status"] == shown


def test_an_order_is_found_by_its_number_and_postcode(woo, client):
    woo.send("order.created", sample("woocommerce", "order-created"))
    woo.send("order.updated", sample("woocommerce", "order-updated"))
    found = client.post(f"{SHOP}/orders/lookup",
                        json={"orderNumber": "1187", "postalCode": "94103"}).get_json()
    assert found["status"] == "shipped"
    assert found["items"][0]["sku"] == "AUR-WC-BLAZER-SND-M"
    assert found["items"][0]["price"] == {"amount": 15900, "currency": "USD"}


def test_the_same_delivery_id_again_is_a_duplicate(woo):
    order = sample("woocommerce", "order-created")
    assert woo.send("order.created", order, "77").get_json() == {"status": "applied"}
    assert woo.send("order.updated", order, "77").get_json() == {"status": "duplicate"}


def test_a_variation_of_a_product_off_sale_keeps_it_off_sale(woo, client, db):
    parent = sample("woocommerce", "product-created")
    woo.send("product.created", parent)
    woo.send("product.updated", {**parent, "status": "draft"})
    answer = woo.send("product.updated", sample("woocommerce", "product-updated-variation"))
    assert answer.get_json() == {"status": "applied"}
    assert product(client, "AUR-WC-BLAZER") is None
    woo.send("product.updated", parent)
    assert [v["sku"] for v in product(client, "AUR-WC-BLAZER")["variants"]] == [
        "AUR-WC-BLAZER-SND-M"]
