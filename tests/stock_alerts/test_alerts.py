"""POST and GET /stock-alerts: waiting for a sold-out variant, and the bad inputs."""

from __future__ import annotations

import pytest

from .conftest import API, alert


def test_an_alert_waits_for_a_sold_out_variant(client, db, dress):
    answer = alert(client, email="  Ana@Example.com ", locale="fr")
    assert answer.status_code == 201, answer.get_json()
    body = answer.get_json()
    assert set(body) == {"alertId", "sku", "productSku", "status", "createdAt", "sentAt",
                         "cancelledAt"}
    assert (body["sku"], body["productSku"], body["status"]) == (
        "VAR-BLK-M", dress, "waiting")
    assert len(body["alertId"]) >= 22
    assert body["createdAt"].endswith("Z")
    stored = db.stockAlerts.find_one({"alertId": body["alertId"]})
    assert (stored["email"], stored["locale"], stored["waiting"]) == (
        "ana@example.com", "fr", "VAR-BLK-M")
    assert client.get(f"{API}/stock-alerts/{body['alertId']}").get_json() == body
    created = db.outbox.find_one({"type": "stock_alert.created"})
    assert created["data"]["alertId"] == body["alertId"]
    assert "email" not in created["data"]


def test_the_same_email_and_sku_waiting_answers_200_with_that_alert(client, db, dress):
    first = alert(client).get_json()
    again = alert(client, email="ANA@example.com")
    assert again.status_code == 200
    assert again.get_json() == first
    assert db.stockAlerts.count_documents({}) == 1
    assert alert(client, email="bo@example.com").status_code == 201
    assert alert(client, sku="var-nvy-s").status_code == 409  # another sku, in stock


def test_an_available_variant_answers_409_in_stock(client, dress):
    answer = alert(client, sku="VAR-NVY-M")
    assert answer.status_code == 409
    assert answer.get_json()["code"] == "in_stock"


@pytest.mark.parametrize("sku", ["NO-SUCH-SKU", "AUR-VAR-NOPE"])
def test_an_unknown_sku_answers_404(client, dress, sku):
    answer = alert(client, sku=sku)
    assert answer.status_code == 404
    assert answer.get_json()["code"] == "product_not_found"


def test_the_product_sku_of_a_product_with_variants_is_422(client, dress):
    answer = alert(client, sku=dress)
    assert answer.status_code == 422
    assert "sku" in answer.get_json()["errors"]


@pytest.mark.parametrize(("body", "field"), [
    ({"email": "not-an-email", "sku": "VAR-BLK-M"}, "email"),
    ({"email": "a@b", "sku": "VAR-BLK-M"}, "email"),
    ({"email": {"$ne": None}, "sku": "VAR-BLK-M"}, "email"),
    ({"sku": "VAR-BLK-M"}, "email"),
    ({"email": "ana@example.com"}, "sku"),
    ({"email": "ana@example.com", "sku": "bad sku!"}, "sku"),
    ({"email": "ana@example.com", "sku": "VAR-BLK-M", "locale": "it"}, "locale"),
    ({"email": "ana@example.com", "sku": "VAR-BLK-M", "extra": 1}, "extra"),
])
def test_bad_bodies_are_422_validation_error(client, dress, body, field):
    answer = client.post(f"{API}/stock-alerts", json=body)
    assert answer.status_code == 422
    assert answer.get_json()["code"] == "validation_error"
    assert field in answer.get_json()["errors"]


@pytest.mark.parametrize("alert_id", ["x" * 22, "short", "A" * 65])
def test_an_unknown_alert_is_404(client, alert_id):
    answer = client.get(f"{API}/stock-alerts/{alert_id}")
    assert answer.status_code == 404
    assert answer.get_json()["code"] == "alert_not_found"


class TestRateLimit:
    @pytest.fixture
    def config(self, config):
        return {**config, "RATELIMIT_ENABLED": True, "WRITE_LIMIT_PER_CLIENT": "2/minute"}

    def test_alerts_are_rate_limited_like_other_writes(self, client, dress):
        statuses = [alert(client, email=f"r{i}@example.com").status_code for i in range(3)]
        assert statuses == [201, 201, 429]
