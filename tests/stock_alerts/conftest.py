"""Fixtures for stock alerts: the variant dress, a local SMTP server, the merchant key."""

from __future__ import annotations

import pytest

from ..merchant.conftest import BOOTSTRAP
from ..merchant.variants import DRESS, dress_body

API = "/api/concierge"
AUTH = {"Authorization": f"Bearer {BOOTSTRAP}"}


@pytest.fixture
def config(config, mail) -> dict:
    """Mail to the local server; the workers are driven by the tests (OUTBOX_WORKER off)."""
    return {**config, "CONCIERGE_MERCHANT_KEY": BOOTSTRAP, "CONCIERGE_SMTP_URL": mail.url,
            "CONCIERGE_MAIL_FROM": "Aurora <shop@aurora.test>",
            "CONCIERGE_PUBLIC_URL": "https://concierge.aurora.test", "OUTBOX_WORKER": False}


@pytest.fixture
def dress(client) -> str:
    """The variant dress: black M sold out."""
    answer = client.put(f"{API}/merchant/products/{DRESS}", json=dress_body(), headers=AUTH)
    assert answer.status_code == 201, answer.get_json()
    return DRESS


def alert(client, email="ana@example.com", sku="VAR-BLK-M", **more):
    return client.post(f"{API}/stock-alerts", json={"email": email, "sku": sku, **more})


def restock(client, sku="VAR-BLK-M", stock=3):
    answer = client.put(f"{API}/merchant/inventory/{sku}", json={"stock": stock},
                        headers=AUTH)
    assert answer.status_code == 200, answer.get_json()
