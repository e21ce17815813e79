"""Shortlists keep the variant a shopper chose."""

from __future__ import annotations

import pytest

from ..merchant.conftest import BOOTSTRAP
from ..merchant.variants import DRESS, dress_body

API = "/api/concierge"


@pytest.fixture
def config(config) -> dict:
    """A merchant key to write the variant dress with."""
    return {**config, "CONCIERGE_MERCHANT_KEY": BOOTSTRAP}


@pytest.fixture
def dress(client):
    assert client.put(f"{API}/merchant/products/{DRESS}", json=dress_body(),
                      headers={"Authorization": f"Bearer {BOOTSTRAP}"}).status_code == 201


def test_a_variant_sku_shortlists_its_product_with_the_variant_selected(client, dress):
    created = client.post(f"{API}/shortlists",
                          json={"skus": ["var-nvy-s", "AUR-DR-0001", "VAR-NVY-S", "VAR-BLK-S"]})
    assert created.status_code == 201, created.get_json()
    items = created.get_json()["items"]
    assert [(i["sku"], i.get("selectedVariant")) for i in items] == [
        (DRESS, "VAR-NVY-S"), ("AUR-DR-0001", None), (DRESS, "VAR-BLK-S")]
    assert all("stock" not in v for i in items for v in i["variants"])
    again = client.get(f"{API}/shortlists/{created.get_json()['shortlistId']}").get_json()
    assert again["items"] == items


def test_an_unknown_variant_sku_is_refused_by_name(client, dress):
    answer = client.post(f"{API}/shortlists", json={"skus": ["VAR-BLK-XL"]})
    assert answer.status_code == 422
    assert answer.get_json()["errors"] == {"skus.0": ["No product has the sku VAR-BLK-XL."]}
