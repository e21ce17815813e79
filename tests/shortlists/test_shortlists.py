"""Shortlists: save, read, replace; order kept, repeats dropped, unknown skus refused."""

import pytest

from concierge import flags

URL = "/api/concierge/shortlists"
SKUS = ["AUR-KN-0006", "AUR-DR-0001", "AUR-BG-0005"]


def create(client, skus, **headers):
    return client.post(URL, json={"skus": skus}, headers=headers)


def test_a_shortlist_is_saved_with_full_products_in_order(client, db, session_headers,
                                                          session_id):
    response = create(client, SKUS, **session_headers, **{"X-Request-ID": "req-list-0001"})
    assert response.status_code == 201
    body = response.get_json()
    assert [p["sku"] for p in body["items"]] == SKUS
    assert set(body["items"][0]) >= {"sku", "name", "category", "price", "colors", "sizes",
                                     "imageUrl", "url", "inStock"}
    assert body["createdAt"] == body["updatedAt"]
    assert len(body["shortlistId"]) >= 22
    stored = db.widgetShortlists.find_one({"shortlistId": body["shortlistId"]})
    assert stored["skus"] == SKUS
    event = db.analyticsEvents.find_one({"requestId": "req-list-0001"})
    assert (event["name"], event["sessionId"]) == ("aurora_shortlist_saved", session_id)
    assert event["props"]["shortlistId"] == body["shortlistId"]


def test_repeats_are_dropped_and_the_first_place_kept(client):
    body = create(client, ["AUR-DR-0001", "AUR-KN-0006", "aur-dr-0001 ", "AUR-KN-0006"])
    assert [p["sku"] for p in body.get_json()["items"]] == ["AUR-DR-0001", "AUR-KN-0006"]


def test_an_empty_shortlist_is_allowed(client):
    response = create(client, [])
    assert response.status_code == 201
    assert response.get_json()["items"] == []


def test_fifty_skus_is_the_most(client, db):
    skus = [p["sku"] for p in db.products.find({}).sort("sku", 1).limit(51)]
    assert create(client, skus[:50]).status_code == 201
    too_many = create(client, skus)
    assert too_many.status_code == 422
    assert "skus" in too_many.get_json()["errors"]


def test_unknown_skus_answer_422_naming_each(client, db):
    response = create(client, ["AUR-DR-0001", "AUR-ZZ-0001", "AUR-DR-0001", "AUR-ZZ-0002"])
    assert response.status_code == 422
    problem = response.get_json()
    assert problem["code"] == "validation_error"
    assert problem["unknownSkus"] == ["AUR-ZZ-0001", "AUR-ZZ-0002"]
    assert set(problem["errors"]) == {"skus.1", "skus.3"}
    assert db.widgetShortlists.count_documents({}) == 0


def test_a_saved_shortlist_reads_back_the_same(client, session_headers, db, session_id):
    created = create(client, SKUS).get_json()
    response = client.get(f"{URL}/{created['shortlistId']}",
                          headers={**session_headers, "X-Request-ID": "req-list-0002"})
    assert response.status_code == 200
    assert response.get_json() == created
    event = db.analyticsEvents.find_one({"requestId": "req-list-0002"})
    assert (event["name"], event["sessionId"]) == ("aurora_shortlist_viewed", session_id)


def test_put_replaces_the_skus(client, db):
    created = create(client, SKUS).get_json()
    url = f"{URL}/{created['shortlistId']}"
    response = client.put(url, json={"skus": ["AUR-BG-0005", "AUR-TP-0001"]})
    assert response.status_code == 200
    body = response.get_json()
    assert [p["sku"] for p in body["items"]] == ["AUR-BG-0005", "AUR-TP-0001"]
    assert body["createdAt"] == created["createdAt"]
    assert body["updatedAt"] >= created["updatedAt"]
    assert client.get(url).get_json()["items"] == body["items"]
    assert db.widgetShortlists.count_documents({}) == 1


def test_put_with_an_unknown_sku_changes_nothing(client):
    created = create(client, SKUS).get_json()
    url = f"{URL}/{created['shortlistId']}"
    assert client.put(url, json={"skus": ["AUR-ZZ-0009"]}).status_code == 422
    assert client.get(url).get_json()["items"] == created["items"]


def test_a_product_gone_from_the_catalogue_is_left_out(client, db):
    created = create(client, SKUS).get_json()
    db.products.delete_one({"sku": "AUR-DR-0001"})
    items = client.get(f"{URL}/{created['shortlistId']}").get_json()["items"]
    assert [p["sku"] for p in items] == ["AUR-KN-0006", "AUR-BG-0005"]


@pytest.mark.parametrize("method", ["get", "put"])
@pytest.mark.parametrize("shortlist_id", ["A" * 22, "short", "x" * 65])
def test_unknown_shortlists_answer_404(client, method, shortlist_id):
    response = getattr(client, method)(f"{URL}/{shortlist_id}", json={"skus": []})
    assert response.status_code == 404
    assert response.get_json()["code"] == "shortlist_not_found"


@pytest.mark.parametrize(("payload", "field"), [
    ({}, "skus"),
    ({"skus": "AUR-DR-0001"}, "skus"),
    ({"skus": [1]}, "skus.0"),
    ({"skus": [{"$ne": None}]}, "skus.0"),
    ({"skus": ["AUR DR 0001"]}, "skus.0"),
    ({"skus": [], "name": "mine"}, "name"),
])
def test_bad_bodies_answer_422_per_field(client, db, payload, field):
    response = client.post(URL, json=payload)
    assert response.status_code == 422
    assert field in response.get_json()["errors"]
    assert db.widgetShortlists.count_documents({}) == 0


def test_a_form_post_is_refused_with_415(client, db):
    response = client.post(URL, data="skus=AUR-DR-0001",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    assert db.widgetShortlists.count_documents({}) == 0


def test_shortlists_are_off_outside_the_feature_flag(client, db):
    flags.set_flag(db, False, 0)
    assert create(client, SKUS).get_json()["code"] == "concierge_disabled"


class TestLimits:
    @pytest.fixture
    def config(self):
        return {"TESTING": True, "MONGO_URI": "", "RATELIMIT_ENABLED": True,
                "LOG_LEVEL": "WARNING", "WRITE_LIMIT_PER_CLIENT": "2/minute",
                "READ_LIMIT_PER_CLIENT": "2/minute"}

    def test_writes_and_reads_are_limited_per_client(self, client):
        created = [create(client, SKUS) for _ in range(3)]
        assert [r.status_code for r in created] == [201, 201, 429]
        url = f"{URL}/{created[0].get_json()['shortlistId']}"
        assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]
