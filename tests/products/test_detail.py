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


@pytest.mark.parametrize(("sku", "shown"), [
    ("AUR-XX-9999", "AUR-XX-9999"),
    ("x" * 300, "x" * 255),  # a long sku is cut to the longest a sku can be
])
def test_the_404_names_the_sku_asked_for(client, sku, shown):
    body = client.get(URL + sku).get_json()
    assert body["detail"] == f"No product has the sku {shown!r}."


def test_a_sku_of_255_characters_is_found(client, db):
    sku = "AUR-" + "L" * 251
    db.products.insert_one({**db.products.find_one({"sku": "AUR-DR-0002"}, {"_id": 0}),
                            "sku": sku})
    assert client.get(URL + sku.lower()).get_json()["sku"] == sku


@pytest.mark.parametrize("length", [256, 300])
def test_a_sku_longer_than_255_characters_is_refused_without_a_read(client, query_log,
                                                                    length):
    response = client.get(URL + "A" * length)
    assert response.status_code == 404
    assert [q for q in query_log.queries if q["collection"] == "products"] == []
