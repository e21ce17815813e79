"""What make fuzz found: `batch` is no sku or order number, and odd batch elements fail alone."""

from __future__ import annotations

import pytest

from .conftest import API, order_body, product_body


def allowed(answer) -> set[str]:
    return {m.strip() for m in answer.headers["Allow"].split(",")}


@pytest.mark.parametrize(("method", "path"), [
    ("PUT", "/products/batch"), ("DELETE", "/products/batch"), ("PUT", "/orders/batch")])
def test_batch_names_the_batch_endpoint_only(client, auth, method, path):
    body = order_body() if "orders" in path else product_body()
    answer = client.open(f"{API}{path}", method=method, json=body, headers=auth)
    assert answer.status_code == 405
    assert allowed(answer) == {"OPTIONS", "POST"}
    assert allowed(client.options(f"{API}{path}")) == {"OPTIONS", "POST"}


@pytest.mark.parametrize(("path", "field"), [
    ("/products/%C3%9Fku-1", "sku"),  # "ßku-1" would be stored as "SSKU-1"
    ("/orders/gg-%C4%B1982", "orderNumber"),  # dotless i upper-cases to I
])
def test_a_non_ascii_key_is_refused_not_folded(client, auth, path, field):
    body = order_body() if "orders" in path else product_body()
    answer = client.put(f"{API}{path}", json=body, headers=auth)
    assert answer.status_code == 422
    assert field in answer.get_json()["errors"]


@pytest.mark.parametrize("kind", ["products", "orders"])
def test_a_null_or_scalar_element_is_rejected_alone(client, auth, kind):
    answer = client.post(f"{API}/{kind}/batch", json={kind: [None, 5]}, headers=auth)
    assert answer.status_code == 200
    assert [r["status"] for r in answer.get_json()["results"]] == ["rejected", "rejected"]


def test_returnable_must_be_a_boolean(client, auth):
    item = {**order_body()["items"][0], "returnable": 0}
    answer = client.put(f"{API}/orders/GG-50001", json=order_body(items=[item]), headers=auth)
    assert answer.status_code == 422
    assert "items.0.returnable" in answer.get_json()["errors"]


def test_a_link_of_2048_characters_is_the_longest(client, auth):
    link = "https://shop.example/" + "a" * (2048 - len("https://shop.example/"))
    assert put_url(client, auth, link).status_code == 201
    assert put_url(client, auth, link + "a").status_code == 422


def put_url(client, auth, url):
    return client.put(f"{API}/products/AUR-LINK-{len(url)}", json=product_body(url=url),
                      headers=auth)


def test_folding_never_stores_a_blank_colour_or_category(client, auth):
    body = product_body(category="\u00a8", colors=["\u00a8", " Sage\u00a8 "])
    answer = client.put(f"{API}/products/AUR-FOLD-1", json=body, headers=auth)
    assert answer.status_code == 201
    assert answer.get_json()["colors"] == ["sage"]
    assert answer.get_json()["category"].strip()


@pytest.mark.parametrize(("path", "body", "collection", "content_hash"), [
    ("/products/AUR-HASH-0001", product_body(), "products",
     "3180a046970568040161f037491afe4d2ed135f3a5987908cd85c20feb2b49a2"),
    ("/orders/GG-HASH-1", order_body(), "orders",
     "24d2ceeb1e42624ee4d8c9bfdf478c229beb777285204d77ed2c4649d02f17d1"),
])
def test_the_content_hash_is_the_same_on_every_server_and_release(client, auth, db, path, body,
                                                                  collection, content_hash):
    # Hashes stored by the previous release must match, or a re-import rewrites everything.
    assert client.put(f"{API}{path}", json=body, headers=auth).status_code == 201
    assert db[collection].find_one({"_id": path.rsplit("/", 1)[1]})["contentHash"] == (
        content_hash)
