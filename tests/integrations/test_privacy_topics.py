"""Shopify's mandatory privacy topics go through the export and erasure of section 25."""

from __future__ import annotations

from concierge.privacy import service as privacy

from ..support import subscribing
from .conftest import sample

EMAIL = "maya.chen@example.com"


def lookup(client):
    return client.post("/api/concierge/orders/lookup",
                       json={"orderNumber": "1042", "email": EMAIL})


def her_order(shopify, client, db) -> None:
    """Maya's order 1042, followed by her, shipped."""
    shopify.send("orders/create", sample("shopify", "orders-create"))
    subscribing.subscribe(client, db, EMAIL, order="1042", factors={"email": EMAIL})
    shopify.send("fulfillments/create", sample("shopify", "fulfillments-create"))


def test_a_data_request_prepares_her_export_and_tells_the_store(shopify, client, db):
    her_order(shopify, client, db)
    answer = shopify.send("customers/data_request", sample("shopify", "customers-data_request"))
    assert answer.get_json() == {"status": "applied"}
    event = db.outbox.find_one({"type": "privacy.export_requested"})
    data = event["data"]
    assert data["email"] == EMAIL
    assert data["emailHash"] == privacy.email_hash(EMAIL)
    assert data["counts"]["orders"] == 1
    assert data["counts"]["orderSubscriptions"] == 1
    assert (data["platform"], data["dataRequestId"]) == ("shopify", "9999")
    assert data["ordersRequested"] == ["5900000000001"]
    audited = db.audit.find_one({"action": "privacy.exported"})
    assert audited["target"] == privacy.email_hash(EMAIL)
    assert audited["who"] == {"via": "shopify webhook"}
    assert EMAIL not in str(audited)


def test_a_customer_redaction_erases_her_data(shopify, client, db):
    her_order(shopify, client, db)
    assert lookup(client).status_code == 200
    answer = shopify.send("customers/redact", sample("shopify", "customers-redact"))
    assert answer.get_json() == {"status": "applied"}
    assert lookup(client).status_code == 404
    with client.application.app_context():
        assert privacy.find_counts(EMAIL) == dict.fromkeys(privacy.find_counts(EMAIL), 0)
    assert db.platformLinks.find_one({"_id": "shopify:order:5900000000001"}) is None
    assert db.audit.find_one({"action": "privacy.erased"})["target"] == privacy.email_hash(EMAIL)
    # A fulfilment arriving after: her order is gone, so it is refused, nothing re-created.
    assert shopify.send("fulfillments/update",
                        sample("shopify", "fulfillments-update")).status_code == 404


def test_a_shop_redaction_erases_every_shoppers_data(shopify, client, db):
    her_order(shopify, client, db)
    assert db.orders.count_documents({}) > 1  # the demo's orders too
    shopify.send("products/create", sample("shopify", "products-create"))
    answer = shopify.send("shop/redact", sample("shopify", "shop-redact"))
    assert answer.get_json() == {"status": "applied"}
    for collection in ("orders", "orderSubscriptions", "orderEvents", "capsuleHolds",
                       "stylistTickets", "csatResponses", "analyticsEvents"):
        assert db[collection].count_documents({}) == 0, collection
    assert db.returns.count_documents({"email": {"$exists": True}}) == 0
    assert db.products.find_one({"sku": "SILK-WRAP-DRESS"}) is not None  # the store's own
    erased = db.outbox.find_one({"type": "privacy.erased"})
    assert erased["data"]["everyone"] is True
    assert db.audit.find_one({"action": "privacy.erased"})["target"] == privacy.EVERYONE
