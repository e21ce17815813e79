"""Skus and handles as the platforms allow them: 3-255 letters, digits, - _ and ."""

from __future__ import annotations

import csv
import io
from urllib.parse import quote

import pytest

from concierge.merchant import imports, shopify

from .conftest import API, order_body, product_body
from .shopify_export import HEADER

SHOP = "/api/concierge"
LONG = ("linen.shirt_dress-" * 15)[:255]  # 255 characters of letters - _ and .
STORED = LONG.upper()


def put(client, auth, sku, body=None):
    return client.put(f"{API}/products/{quote(sku)}", json=body or product_body(), headers=auth)


@pytest.mark.parametrize(("sku", "status"), [
    (LONG, 201), ("a.b", 201), ("A_B-C.D", 201),
    (LONG + "x", 422), ("x" * 256, 422), (".hidden", 422), ("a/b", 404), ("a b", 422)])
def test_a_sku_in_the_path_up_to_255_characters_is_taken(client, auth, sku, status):
    assert put(client, auth, sku).status_code == status


def test_a_255_character_sku_is_found_by_shoppers_and_archived(client, auth):
    put(client, auth, LONG)
    found = client.get(f"{SHOP}/products/{quote(LONG)}")
    assert (found.status_code, found.get_json()["sku"]) == (200, STORED)
    assert client.delete(f"{API}/products/{quote(LONG)}", headers=auth).get_json()["archived"]


@pytest.mark.parametrize(("length", "status"), [(255, 201), (256, 422)])
def test_a_variant_sku_and_an_order_item_sku_may_be_255_characters(client, auth, length,
                                                                   status):
    variant = ("V" * length)
    body = product_body(variants=[{"sku": variant, "size": "M", "stock": 2}])
    for name in ("colors", "sizes", "stock"):
        body.pop(name)
    assert put(client, auth, "AUR-LONG-VARIANT", body).status_code == status
    item = {"sku": variant, "name": "Long", "quantity": 1,
            "price": {"amount": 100, "currency": "USD"}}
    answer = client.put(f"{API}/orders/LONG-1", json=order_body(items=[item]), headers=auth)
    assert answer.status_code == status


def test_a_long_sku_travels_through_shortlists_inventory_and_capsules(client, auth):
    put(client, auth, LONG)
    shortlist = client.post(f"{SHOP}/shortlists", json={"skus": [LONG]})
    assert shortlist.status_code == 201
    stock = client.put(f"{API}/inventory/{quote(LONG)}", json={"stock": 9}, headers=auth)
    assert stock.get_json()["sku"] == STORED
    capsule = client.put(f"{API}/capsules/capsule-long", headers=auth, json={
        "name": "Long", "description": "One long sku.", "skus": [LONG], "capacity": 1,
        "holdHours": 1})
    assert capsule.get_json()["skus"] == [STORED]


def test_a_long_sku_reaches_the_order_lookup(client, auth, db):
    put(client, auth, LONG)
    item = {"sku": LONG, "name": "Linen", "quantity": 1,
            "price": {"amount": 100, "currency": "USD"}}
    client.put(f"{API}/orders/LONG-2", headers=auth, json=order_body(
        items=[item], status="delivered", deliveredAt="2026-01-12T10:00:00Z"))
    found = client.post(f"{SHOP}/orders/lookup", json={
        "orderNumber": "LONG-2", "email": "maya.chen@example.com"}).get_json()
    assert found["items"][0]["sku"] == STORED


def _export(handle: str) -> io.StringIO:
    stream = io.StringIO()
    writer = csv.writer(stream)
    writer.writerow(HEADER)
    row = dict.fromkeys(HEADER, "")
    row.update({"Handle": handle, "Title": "A long handle", "Body (HTML)": "<p>Long.</p>",
                "Type": "Dresses", "Published": "TRUE", "Option1 Name": "Size",
                "Option1 Value": "M", "Variant Inventory Qty": "3", "Variant Price": "80.00",
                "Status": "active"})
    writer.writerow([row[h] for h in HEADER])
    stream.seek(0)
    return stream


@pytest.mark.parametrize("length", [41, 120, 255])
def test_a_shopify_handle_longer_than_40_is_imported(app, length):
    handle = ("wrap-dress-" * 30)[:length].rstrip("-") + "x" * (length - len(
        ("wrap-dress-" * 30)[:length].rstrip("-")))
    lines = list(shopify.read(_export(handle)))
    with app.app_context():
        summary = imports.run("products", lines, imports.direct)
    assert summary.counts["created"] == 1
    assert len(lines[0].body["variants"][0]["sku"]) <= 255


def test_a_shopify_handle_over_255_is_rejected_on_its_line(app):
    lines = list(shopify.read(_export("x" * 256)))
    with app.app_context():
        summary = imports.run("products", lines, imports.direct)
    assert summary.counts["rejected"] == 1
