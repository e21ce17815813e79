"""Shopify's topics change what shoppers see: catalogue, stock, orders, tracking, emails."""

from __future__ import annotations

import copy
import csv
import io

import pytest

from concierge import catalog_version
from concierge.merchant import service
from concierge.merchant import shopify as csv_export

from ..support import subscribing
from .conftest import big_product, sample

SHOP = "/api/concierge"
SKU = "SILK-WRAP-DRESS"


def product(client, sku: str = SKU):
    """Return the public product, or None when it is not shown."""
    answer = client.get(f"{SHOP}/products/{sku}")
    return answer.get_json() if answer.status_code == 200 else None


def lookup(client, number: str = "1042", email: str = "maya.chen@example.com"):
    """Look an order up as a shopper does."""
    return client.post(f"{SHOP}/orders/lookup", json={"orderNumber": number, "email": email})


def as_export_csv(payload: dict) -> list[str]:
    """Write the product as Shopify's product CSV export writes it (one row per variant)."""
    columns = ["Handle", "Title", "Body (HTML)", "Type", "Tags", "Status", "Option1 Name",
               "Option1 Value", "Option2 Name", "Option2 Value", "Variant SKU",
               "Variant Inventory Qty", "Variant Price", "Variant Barcode", "Image Src",
               "Image Position"]
    out = io.StringIO()
    writer = csv.DictWriter(out, columns)
    writer.writeheader()
    for n, variant in enumerate(payload["variants"]):
        row = {"Handle": payload["handle"], "Option1 Value": variant["option1"],
               "Option2 Value": variant["option2"], "Variant SKU": variant["sku"],
               "Variant Inventory Qty": variant["inventory_quantity"],
               "Variant Price": variant["price"], "Variant Barcode": variant["barcode"]}
        if n == 0:
            row.update({"Title": payload["title"], "Body (HTML)": payload["body_html"],
                        "Type": payload["product_type"], "Tags": payload["tags"],
                        "Status": payload["status"], "Option1 Name": "Size",
                        "Option2 Name": "Color", "Image Src": payload["images"][0]["src"],
                        "Image Position": 1})
        writer.writerow(row)
    return out.getvalue().splitlines(keepends=True)


def stored(db, sku: str = SKU) -> dict:
    return db.products.find_one({"sku": sku}, {"_id": 0, "createdAt": 0, "updatedAt": 0})


def test_a_product_is_stored_exactly_as_the_csv_import_stores_the_same_product(
        shopify, client, db):
    payload = sample("shopify", "products-create")
    assert shopify.send("products/create", payload).get_json() == {"status": "applied"}
    line, = csv_export.read(as_export_csv(payload), "USD",
                            "https://aurora-demo.myshopify.com")
    from_webhook = stored(db)
    db.products.delete_one({"sku": SKU})
    with client.application.app_context():
        assert service.save("products", [line.body])[0]["status"] == "created"
    assert stored(db) == from_webhook


def test_a_product_with_its_variants_is_shown_and_searched(shopify, client):
    shopify.send("products/create", sample("shopify", "products-create"))
    shown = product(client)
    assert shown["name"] == "Silk Wrap Dress"
    assert shown["category"] == "dresses"
    assert shown["url"] == "https://aurora-demo.myshopify.com/products/silk-wrap-dress"
    assert shown["description"].startswith("A silk wrap dress cut on the bias")
    assert [(v["sku"], v["size"], v["color"], v["available"]) for v in shown["variants"]][:3] == [
        ("AUR-SH-WRAP-BLA-S", "S", "black", True), ("AUR-SH-WRAP-BLA-M", "M", "black", False),
        ("AUR-SH-WRAP-BLA-L", "L", "black", True)]
    found = client.get(f"{SHOP}/products", query_string={"q": "silk wrap dress"}).get_json()
    assert SKU in [item["sku"] for item in found["items"]]


def test_a_catalogue_write_bumps_the_catalogue_version(shopify, app, db):
    before = catalog_version.read(db)
    shopify.send("products/create", sample("shopify", "products-create"))
    assert catalog_version.read(db) > before
    middle = catalog_version.read(db)
    shopify.send("inventory_levels/update", sample("shopify", "inventory_levels-update"))
    assert catalog_version.read(db) > middle


def test_an_inventory_update_sets_that_variants_stock(shopify, client, db):
    shopify.send("products/create", sample("shopify", "products-create"))
    assert shopify.send("inventory_levels/update", sample(
        "shopify", "inventory_levels-update")).get_json() == {"status": "applied"}
    variant = next(v for v in stored(db)["variants"] if v["sku"] == "AUR-SH-WRAP-BLA-M")
    assert variant["stock"] == 5
    shown = next(v for v in product(client)["variants"] if v["sku"] == "AUR-SH-WRAP-BLA-M")
    assert shown["available"] is True


def test_a_variants_stock_adds_up_its_locations(shopify, db):
    shopify.send("products/create", sample("shopify", "products-create"))
    level = sample("shopify", "inventory_levels-update")
    shopify.send("inventory_levels/update", level)
    shopify.send("inventory_levels/update", {**level, "location_id": 70100000002, "available": 7})
    shopify.send("inventory_levels/update", {**level, "available": -2})  # oversold there
    variant = next(v for v in stored(db)["variants"] if v["sku"] == "AUR-SH-WRAP-BLA-M")
    assert variant["stock"] == 5


def test_an_inventory_update_for_an_unknown_item_is_404_and_changes_nothing(shopify, db):
    shopify.send("products/create", sample("shopify", "products-create"))
    before = stored(db)
    level = {**sample("shopify", "inventory_levels-update"), "inventory_item_id": 1}
    answer = shopify.send("inventory_levels/update", level)
    assert answer.status_code == 404
    assert answer.get_json()["code"] == "product_not_found"
    assert stored(db) == before
    # Not remembered: the platform's retry, once the product is there, is applied.
    assert db.platformWebhookIds.count_documents({}) == 1


def test_a_product_no_longer_active_is_archived(shopify, client, db):
    payload = sample("shopify", "products-create")
    shopify.send("products/create", payload)
    assert shopify.send("products/update", {**payload, "status": "draft"}).get_json() == {
        "status": "applied"}
    assert product(client) is None
    assert stored(db)["archived"] is True
    shopify.send("products/update", payload)
    assert product(client) is not None


def test_a_deleted_product_is_archived(shopify, client, db):
    shopify.send("products/create", sample("shopify", "products-create"))
    assert shopify.send("products/delete", sample("shopify", "products-delete")).get_json() == {
        "status": "applied"}
    assert product(client) is None
    assert stored(db)["archived"] is True


def test_an_order_is_kept_under_its_name_and_found_by_the_shopper(shopify, client, db):
    assert shopify.send("orders/create", sample("shopify", "orders-create")).get_json() == {
        "status": "applied"}
    found = lookup(client)
    assert found.status_code == 200
    order = found.get_json()
    assert order["orderNumber"] == "1042"
    assert order["status"] == "processing"
    assert order["items"][0]["sku"] == "AUR-SH-WRAP-BLA-M"
    assert order["items"][0]["quantity"] == 2
    by_postcode = client.post(f"{SHOP}/orders/lookup",
                              json={"orderNumber": "#1042", "postalCode": "02138"})
    assert by_postcode.status_code == 200
    link = db.platformLinks.find_one({"_id": "shopify:order:5900000000001"})
    assert link["orderNumber"] == "1042"


def test_a_cancelled_order_is_cancelled(shopify, client):
    shopify.send("orders/create", sample("shopify", "orders-create"))
    shopify.send("orders/cancelled", sample("shopify", "orders-cancelled"))
    assert lookup(client).get_json()["status"] == "cancelled"


def test_a_fulfilment_tracks_the_order_and_tells_its_subscribers(shopify, client, db):
    shopify.send("orders/create", sample("shopify", "orders-create"))
    subscribing.subscribe(client, db, "maya.chen@example.com", order="1042",
                          factors={"email": "maya.chen@example.com"})
    assert shopify.send("fulfillments/create", sample(
        "shopify", "fulfillments-create")).get_json() == {"status": "applied"}
    order = lookup(client).get_json()
    assert order["status"] == "shipped"
    assert order["carrier"] == "UPS"
    assert order["trackingNumber"] == "1Z999AA10123456784"
    assert order["trackingUrl"].startswith("https://www.ups.com/")
    webhook = db.outbox.find_one({"type": "order.updated", "channel": "webhook"})
    assert webhook["data"]["status"] == "shipped"
    assert webhook["data"]["subscribers"] == 1
    emails = list(db.outbox.find({"type": "order.updated", "channel": "email"}))
    assert [e["email"]["to"] for e in emails] == ["maya.chen@example.com"]
    shopify.send("fulfillments/update", sample("shopify", "fulfillments-update"))
    delivered = lookup(client).get_json()
    assert delivered["status"] == "delivered"
    assert [e["status"] for e in delivered["timeline"]][-2:] == ["shipped", "delivered"]
    assert db.outbox.count_documents({"type": "order.updated", "channel": "email"}) == 2


def test_an_order_update_after_delivery_keeps_the_delivery(shopify, client):
    shopify.send("orders/create", sample("shopify", "orders-create"))
    shopify.send("fulfillments/update", sample("shopify", "fulfillments-update"))
    shopify.send("orders/updated", {**sample("shopify", "orders-create"),
                                    "fulfillment_status": "fulfilled"})
    order = lookup(client).get_json()
    assert order["status"] == "delivered"
    assert order["carrier"] == "UPS"


def test_a_fulfilment_for_an_unknown_order_is_404_and_writes_nothing(shopify, db):
    answer = shopify.send("fulfillments/create", sample("shopify", "fulfillments-create"))
    assert answer.status_code == 404
    assert answer.get_json()["code"] == "order_not_found"
    assert db.orderEvents.count_documents({}) == 0
    assert db.outbox.count_documents({"type": "order.updated"}) == 0
    assert db.platformWebhookIds.count_documents({}) == 0


def test_the_same_delivery_again_is_a_duplicate_and_changes_nothing(shopify, db):
    payload = sample("shopify", "products-create")
    assert shopify.send("products/create", payload, "same-id").get_json() == {
        "status": "applied"}
    before = stored(db)
    changed = copy.deepcopy(payload)
    changed["title"] = "Another name"
    assert shopify.send("products/update", changed, "same-id").get_json() == {
        "status": "duplicate"}
    assert stored(db) == before


def test_a_topic_it_does_not_use_is_ignored(shopify, db):
    answer = shopify.send("carts/create", {"id": "abc", "line_items": []})
    assert answer.status_code == 200
    assert answer.get_json() == {"status": "ignored", "reason": "topic_not_used"}


@pytest.mark.parametrize(("topic", "change", "reason"), [
    ("products/create", {"handle": ""}, "unmappable_product"),
    ("products/create", {"variants": [{"price": "twelve", "sku": "X-1", "position": 1}]},
     "unmappable_product"),
    ("products/create", {"id": None}, "missing_id"),
    ("orders/create", {"email": None, "contact_email": None, "customer": None},
     "unmappable_order"),
    ("orders/create", {"name": "#1", "order_number": 1}, "unmappable_order"),
    ("orders/create", {"line_items": []}, "unmappable_order"),
    ("orders/create", {"created_at": "yesterday"}, "unmappable_order"),
    ("inventory_levels/update", {"available": None}, "unmappable_inventory"),
    ("customers/redact", {"customer": {"id": 1}}, "missing_email"),
])
def test_a_signed_payload_it_cannot_map_is_200_ignored_and_logged(
        shopify, db, topic, change, reason):
    name = {"products/create": "products-create", "orders/create": "orders-create",
            "inventory_levels/update": "inventory_levels-update",
            "customers/redact": "customers-redact"}[topic]
    products, orders = db.products.count_documents({}), db.orders.count_documents({})
    answer = shopify.send(topic, {**sample("shopify", name), **change})
    assert answer.status_code == 200
    assert answer.get_json() == {"status": "ignored", "reason": reason}
    assert (db.products.count_documents({}), db.orders.count_documents({})) == (products, orders)
    logged = db.platformDeliveries.find_one({"topic": topic})
    assert (logged["outcome"], logged["reason"]) == ("ignored", reason)


def test_a_product_whose_variant_sku_another_product_holds_is_ignored_whole(shopify, db):
    shopify.send("products/create", sample("shopify", "products-create"))
    other = copy.deepcopy(sample("shopify", "products-create"))
    other.update(id=1, handle="another-dress")
    answer = shopify.send("products/create", other)
    assert answer.get_json() == {"status": "ignored", "reason": "unmappable_product"}
    assert db.products.find_one({"sku": "ANOTHER-DRESS"}) is None
    assert db.platformLinks.find_one({"_id": "shopify:product:1"}) is None


def test_a_product_with_100_variants_is_applied(shopify, db):
    assert shopify.send("products/create", big_product()).get_json() == {"status": "applied"}
    assert len(stored(db)["variants"]) == 100
    level = {"inventory_item_id": 9100, "location_id": 1, "available": 0}
    assert shopify.send("inventory_levels/update", level).get_json() == {"status": "applied"}
    assert next(v for v in stored(db)["variants"] if v["sku"] == "BIG-100")["stock"] == 0


def test_an_order_update_older_than_the_one_applied_is_ignored_as_stale(shopify, client):
    shopify.send("orders/cancelled", sample("shopify", "orders-cancelled"))
    late = shopify.send("orders/create", sample("shopify", "orders-create"))
    assert late.get_json() == {"status": "ignored", "reason": "stale"}
    assert lookup(client).get_json()["status"] == "cancelled"


def test_a_product_update_older_than_the_one_applied_is_ignored_as_stale(shopify, db):
    payload = sample("shopify", "products-create")
    shopify.send("products/update", {**payload, "title": "Newer",
                                     "updated_at": "2026-11-27T10:00:00-05:00"})
    answer = shopify.send("products/update", payload)
    assert answer.get_json() == {"status": "ignored", "reason": "stale"}
    assert stored(db)["name"] == "Newer"


def test_deleting_a_product_it_never_had_is_ignored(shopify):
    answer = shopify.send("products/delete", {"id": 1})
    assert answer.get_json() == {"status": "ignored", "reason": "unknown_product"}


def test_an_inventory_count_older_than_the_locations_last_is_ignored_as_stale(shopify, db):
    shopify.send("products/create", sample("shopify", "products-create"))
    level = sample("shopify", "inventory_levels-update")
    shopify.send("inventory_levels/update", {**level, "available": 9,
                                             "updated_at": "2026-11-26T11:00:00-05:00"})
    late = shopify.send("inventory_levels/update", level)
    assert late.get_json() == {"status": "ignored", "reason": "stale"}
    variant = next(v for v in stored(db)["variants"] if v["sku"] == "AUR-SH-WRAP-BLA-M")
    assert variant["stock"] == 9
