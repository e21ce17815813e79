"""Against a real MongoDB (MONGO_URI): key commands and direct imports."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.mongo

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"


def test_keys_are_created_listed_and_revoked(real_app):
    runner = real_app.test_cli_runner()
    created = runner.invoke(args=["concierge", "api-keys", "create", "--name", "sync",
                                  "--scope", "catalog:write", "--scope", "orders:write"])
    assert created.exit_code == 0, created.output
    key = created.output.strip().splitlines()[-1]
    key_id = key.split("_")[1]
    listed = runner.invoke(args=["concierge", "api-keys", "list"]).output
    assert key_id in listed
    assert "catalog:write,orders:write" in listed
    assert key not in listed
    answer = real_app.test_client().delete("/api/concierge/merchant/products/AUR-DR-0001",
                                           headers={"Authorization": f"Bearer {key}"})
    assert answer.status_code == 404  # a valid key; the real store was not seeded
    assert runner.invoke(args=["concierge", "api-keys", "revoke", key_id]).exit_code == 0
    assert "revoked" in runner.invoke(args=["concierge", "api-keys", "list"]).output


def test_imports_write_straight_to_mongodb(real_app):
    runner = real_app.test_cli_runner()
    products = runner.invoke(args=["concierge", "import", "products",
                                   str(SAMPLES / "shopify-products.csv")])
    assert products.exit_code == 1  # one line of the sample is rejected
    assert "products: 4 created" in products.output
    orders = runner.invoke(args=["concierge", "import", "orders",
                                 str(SAMPLES / "orders.jsonl")])
    assert "orders: 3 created" in orders.output
    again = runner.invoke(args=["concierge", "import", "products",
                                str(SAMPLES / "shopify-products.csv")])
    assert "0 created, 0 updated, 4 unchanged" in again.output
