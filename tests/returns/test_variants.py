"""Orders and returns naming variant skus: a return of a variant checks its own line."""

from __future__ import annotations

from datetime import timedelta

import pytest

from concierge.events import now
from concierge.schemas import iso_z

from ..merchant.conftest import BOOTSTRAP, order_body
from ..merchant.variants import DRESS, dress_body

API = "/api/concierge"
AUTH = {"Authorization": f"Bearer {BOOTSTRAP}"}
EMAIL = "maya.chen@example.com"


@pytest.fixture
def config(config) -> dict:
    """A merchant key to write the catalogue and the order with."""
    return {**config, "CONCIERGE_MERCHANT_KEY": BOOTSTRAP}


@pytest.fixture
def order(client) -> str:
    """A delivered order of two black S and one navy M of the variant dress."""
    assert client.put(f"{API}/merchant/products/{DRESS}", json=dress_body(),
                      headers=AUTH).status_code == 201
    delivered = iso_z(now() - timedelta(days=3))
    line = {"name": "Satin Slip Dress", "price": {"amount": 13900, "currency": "USD"}}
    body = order_body(status="delivered", placedAt=delivered, deliveredAt=delivered, items=[
        {"sku": "var-blk-s", "quantity": 2, **line}, {"sku": "VAR-NVY-M", "quantity": 1, **line}])
    answer = client.put(f"{API}/merchant/orders/GG-VAR-1", json=body, headers=AUTH)
    assert answer.status_code == 201, answer.get_json()
    assert [i["sku"] for i in answer.get_json()["items"]] == ["VAR-BLK-S", "VAR-NVY-M"]
    return "GG-VAR-1"


def give_back(client, order, sku, quantity, key):
    return client.post(f"{API}/returns", headers={"Idempotency-Key": key}, json={
        "orderNumber": order, "email": EMAIL,
        "items": [{"sku": sku, "quantity": quantity, "reason": "too_small"}]})


def test_a_variant_is_returned_against_its_own_line(client, db, order):
    answer = give_back(client, order, "var-blk-s", 2, "variant-return-1")
    assert answer.status_code == 201, answer.get_json()
    assert answer.get_json()["items"] == [{
        "sku": "VAR-BLK-S", "quantity": 2, "reason": "too_small", "resolution": "refund",
        "exchangeSku": None, "creditAmount": None}]
    assert db.orders.find_one({"orderNumber": order})["returnedQuantities"] == {"VAR-BLK-S": 2}
    more = give_back(client, order, "VAR-BLK-S", 1, "variant-return-2")
    assert more.status_code == 422
    assert more.get_json()["code"] == "return_quantity_exceeded"


@pytest.mark.parametrize("sku", ["VAR-BLK-M", DRESS])
def test_another_variant_or_the_product_sku_is_not_on_the_order(client, order, sku):
    answer = give_back(client, order, sku, 1, "variant-return-3")
    assert answer.status_code == 422
    assert answer.get_json()["code"] == "return_quantity_exceeded"
