"""GET /products/<sku>."""

import pytest

URL = "/api/concierge/products/"


def test_detail_adds_the_description(client, db):
    response = client.get(URL + "AUR-DR-0002")
    assert response.status_code == 200
    body = response.get_json()
    stored = db.products.find_one({"sku": "AUR-DR-0002"})
    assert body["description"] == stored["description"]
    assert body["price"] == stored["price"]
    assert body["sku"] == "AUR-DR-0002"
    assert "keywords" not in body
    assert "stock" not in body


def test_sku_is_found_whatever_its_case(client):
    assert client.get(URL + "aur-dr-0002").get_json()["sku"] == "AUR-DR-0002"


@pytest.mark.parametrize("sku", ["AUR-XX-9999", "nope", "x" * 300, "$where"])
def test_unknown_sku_answers_404_product_not_found(client, sku):
    response = client.get(URL + sku)
    assert response.status_code == 404
    assert response.content_type == "application/problem+json"
    body = response.get_json()
    assert (body["code"], body["title"]) == ("product_not_found", "Product not found")
    assert body["requestId"]


def test_viewing_records_its_event(client, db, session_headers, session_id):
    client.get(URL + "AUR-DR-0002", headers={**session_headers, "X-Request-ID": "req-view-0001"})
    event = db.analyticsEvents.find_one({"requestId": "req-view-0001"})
    assert (event["name"], event["sessionId"]) == ("aurora_product_viewed", session_id)
    assert event["props"] == {"sku": "AUR-DR-0002"}
