"""Return items resolved as a refund, an exchange (stock reserved) or store credit."""

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
ORDER = "GG-EXC-1"
LINE = {"name": "Satin Slip Dress", "price": {"amount": 13900, "currency": "USD"}}


@pytest.fixture
def config(config) -> dict:
    """A merchant key, and a 10 % store credit bonus."""
    return {**config, "CONCIERGE_MERCHANT_KEY": BOOTSTRAP,
            "CONCIERGE_STORE_CREDIT_BONUS_PERCENT": 10}


def deliver_order(client, number=ORDER, items=None) -> str:
    """Store the variant dress and a delivered order of it."""
    client.put(f"{API}/merchant/products/{DRESS}", json=dress_body(), headers=AUTH)
    delivered = iso_z(now() - timedelta(days=3))
    items = items or [{"sku": "VAR-BLK-S", "quantity": 2, **LINE},
                      {"sku": "VAR-NVY-M", "quantity": 1, **LINE}]
    body = order_body(status="delivered", placedAt=delivered, deliveredAt=delivered,
                      items=items)
    answer = client.put(f"{API}/merchant/orders/{number}", json=body, headers=AUTH)
    assert answer.status_code == 201, answer.get_json()
    return number


@pytest.fixture
def order(client) -> str:
    """A delivered order of two black S and one navy M of the variant dress."""
    return deliver_order(client)


def ask(client, key, *items, order=ORDER):
    return client.post(f"{API}/returns", headers={"Idempotency-Key": key}, json={
        "orderNumber": order, "email": EMAIL, "items": list(items)})


def line(sku="VAR-BLK-S", quantity=1, **more):
    return {"sku": sku, "quantity": quantity, "reason": "too_small", **more}


def stock_of(db, sku) -> int:
    product = db.products.find_one({"skus": sku})
    return next(v["stock"] for v in product["variants"] if v["sku"] == sku)


def test_an_exchange_reserves_the_new_variant(client, db, order):
    answer = ask(client, "exchange-0001", line(resolution="exchange", exchangeSku="var-nvy-s"))
    assert answer.status_code == 201, answer.get_json()
    assert answer.get_json()["items"] == [{
        "sku": "VAR-BLK-S", "quantity": 1, "reason": "too_small", "resolution": "exchange",
        "exchangeSku": "VAR-NVY-S", "creditAmount": None}]
    assert stock_of(db, "VAR-NVY-S") == 1
    product = db.products.find_one({"sku": DRESS})
    assert product["stock"] == 13
    assert product["inStock"] is True
    rma = db.returns.find_one({"rmaNumber": answer.get_json()["rmaNumber"]})
    assert rma["reserved"] == [{"sku": "VAR-NVY-S", "quantity": 1}]


def test_a_replay_reserves_nothing_again(client, db, order):
    body = line(resolution="exchange", exchangeSku="VAR-NVY-S")
    first = ask(client, "exchange-replay1", body)
    again = ask(client, "exchange-replay1", body)
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json() == first.get_json()
    assert stock_of(db, "VAR-NVY-S") == 1
    assert db.returns.count_documents({"orderNumber": ORDER}) == 1


def test_a_sold_out_variant_answers_409_with_the_alternatives(client, db, order):
    answer = ask(client, "exchange-0002", line(resolution="exchange", exchangeSku="VAR-BLK-M"))
    assert answer.status_code == 409
    problem = answer.get_json()
    assert problem["code"] == "exchange_unavailable"
    assert problem["sku"] == "VAR-BLK-M"
    assert problem["alternatives"] == ["VAR-NVY-S", "VAR-NVY-M"]
    # Nothing taken: no RMA, the order's quantities untouched.
    assert db.returns.count_documents({"orderNumber": ORDER}) == 0
    assert db.orders.find_one({"orderNumber": ORDER})["returnedQuantities"] == {}


def test_more_units_than_the_variant_has_are_unavailable(client, db, order):
    answer = ask(client, "exchange-0003",
                 line(quantity=2, resolution="exchange", exchangeSku="VAR-NVY-S"))
    assert answer.status_code == 201
    assert stock_of(db, "VAR-NVY-S") == 0
    refused = ask(client, "exchange-0004",
                  line("VAR-NVY-M", resolution="exchange", exchangeSku="VAR-NVY-S"))
    assert refused.status_code == 409
    assert refused.get_json()["alternatives"] == ["VAR-BLK-S"]
    assert db.products.find_one({"sku": DRESS})["inStock"] is True


def test_a_failed_reservation_takes_nothing_from_other_lines(client, db):
    deliver_order(client, items=[{"sku": "VAR-BLK-S", "quantity": 2, **LINE},
                                 {"sku": "VAR-NVY-M", "quantity": 1, **LINE}])
    answer = ask(client, "exchange-0005",
                 line(resolution="exchange", exchangeSku="VAR-NVY-S"),
                 line("VAR-NVY-M", resolution="exchange", exchangeSku="VAR-BLK-M"))
    assert answer.status_code == 409
    assert stock_of(db, "VAR-NVY-S") == 2  # the first line's reservation rolled back
    assert db.orders.find_one({"orderNumber": ORDER})["returnedQuantities"] == {}


@pytest.mark.parametrize(("exchange_sku", "message"), [
    ("VAR-BLK-S", "Must be another size or colour than the item returned."),
    ("AUR-TP-0001", "Must be another variant (size or colour) of the same product."),
    ("NO-SUCH-SKU", "Must be another variant (size or colour) of the same product."),
    (DRESS, "Must be another variant (size or colour) of the same product."),
])
def test_an_exchange_for_the_same_or_another_products_variant_is_422(
        client, db, order, exchange_sku, message):
    answer = ask(client, "exchange-0006", line(resolution="exchange", exchangeSku=exchange_sku))
    assert answer.status_code == 422
    assert answer.get_json()["code"] == "validation_error"
    assert answer.get_json()["errors"] == {"items.0.exchangeSku": [message]}
    assert stock_of(db, "VAR-NVY-S") == 2


@pytest.mark.parametrize(("item", "field"), [
    (line(resolution="exchange"), "items.0.exchangeSku"),
    (line(exchangeSku="VAR-NVY-S"), "items.0.exchangeSku"),
    (line(resolution="refund", exchangeSku="VAR-NVY-S"), "items.0.exchangeSku"),
    (line(resolution="swap"), "items.0.resolution"),
])
def test_a_resolution_and_its_sku_must_agree(client, order, item, field):
    answer = ask(client, "exchange-0007", item)
    assert answer.status_code == 422
    assert field in answer.get_json()["errors"]


def test_an_exchange_beyond_the_order_line_is_refused(client, db, order):
    answer = ask(client, "exchange-0008",
                 line(quantity=3, resolution="exchange", exchangeSku="VAR-NVY-M"))
    assert answer.status_code == 422
    assert answer.get_json()["code"] == "return_quantity_exceeded"
    assert stock_of(db, "VAR-NVY-M") == 7


def test_store_credit_adds_the_bonus_rounded_down(client, order):
    answer = ask(client, "credit-00001", line(quantity=2, resolution="store_credit"),
                 line("VAR-NVY-M"))
    assert answer.status_code == 201, answer.get_json()
    first, second = answer.get_json()["items"]
    # 13900 x 2 x 110 / 100
    assert first["creditAmount"] == {"amount": 30580, "currency": "USD"}
    assert first["resolution"] == "store_credit"
    assert first["exchangeSku"] is None
    assert second["resolution"] == "refund"
    assert second["creditAmount"] is None


@pytest.mark.parametrize(("bonus", "price", "quantity", "credit"), [
    (0, 13900, 1, 13900), (15, 999, 1, 1148), (15, 999, 3, 3446), (100, 1, 1, 2)])
def test_the_credit_is_price_times_quantity_plus_bonus(app, bonus, price, quantity, credit):
    from concierge.returns.service import _credit

    order = {"items": [{"sku": "X", "price": {"amount": price, "currency": "EUR"}}]}
    with app.app_context():
        app.config["CONCIERGE_STORE_CREDIT_BONUS_PERCENT"] = bonus
        assert _credit(order, {"sku": "X", "quantity": quantity}) == {
            "amount": credit, "currency": "EUR"}


def test_the_last_unit_goes_to_one_exchange_among_eight(app, client, db):
    from ..test_concurrency import together

    deliver_order(client, items=[{"sku": "VAR-BLK-S", "quantity": 8, **LINE}])
    client.put(f"{API}/merchant/inventory/VAR-NVY-S", json={"stock": 1}, headers=AUTH)
    answers = together(lambda i: app.test_client().post(
        f"{API}/returns", headers={"Idempotency-Key": f"last-unit-{i:04d}"}, json={
            "orderNumber": ORDER, "email": EMAIL,
            "items": [line(resolution="exchange", exchangeSku="VAR-NVY-S")]}), count=8)
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [201] + [409] * 7
    assert stock_of(db, "VAR-NVY-S") == 0
    assert db.returns.count_documents({"orderNumber": ORDER}) == 1
    assert db.orders.find_one({"orderNumber": ORDER})["returnedQuantities"] == {"VAR-BLK-S": 1}
