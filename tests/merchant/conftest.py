"""Fixtures for the merchant API: a bootstrap key, bodies, a key per scope."""

from __future__ import annotations

import pytest

from concierge.merchant import keys

API = "/api/concierge/merchant"
BOOTSTRAP = "test-bootstrap-key-0123456789abcdef"


@pytest.fixture
def config(clock) -> dict:
    """Settings with a bootstrap merchant key (every scope)."""
    return {"TESTING": True, "MONGO_URI": "", "RATELIMIT_ENABLED": False,
            "LOG_LEVEL": "WARNING", "CONCIERGE_MERCHANT_KEY": BOOTSTRAP, "CLOCK": clock}


@pytest.fixture
def auth() -> dict:
    """Headers carrying the bootstrap key."""
    return {"Authorization": f"Bearer {BOOTSTRAP}"}


@pytest.fixture
def make_key(app):
    """Create a stored key with some scopes; return (key, record)."""
    def make(*scopes: str, name: str = "test"):
        with app.app_context():
            return keys.create(name, list(scopes))
    return make


def product_body(**changes) -> dict:
    """A valid PUT /merchant/products body."""
    body = {"name": "Linen Shirt Dress", "description": "A relaxed linen shirt dress.",
            "category": "Dresses", "price": {"amount": 13900, "currency": "USD"},
            "colors": ["Sage", "Sand"], "sizes": ["S", "M", "L"], "stock": 4,
            "tags": ["linen", "summer"]}
    body.update(changes)
    return body


def order_body(**changes) -> dict:
    """A valid PUT /merchant/orders body."""
    body = {"email": "Maya.Chen@Example.com", "postalCode": "02139", "status": "shipped",
            "placedAt": "2026-01-10T10:00:00Z", "carrier": "UPS",
            "trackingNumber": "1Z999AA10123456785",
            "items": [{"sku": "AUR-DR-0001", "name": "Midi Wrap Dress", "quantity": 1,
                       "price": {"amount": 12600, "currency": "USD"}}]}
    body.update(changes)
    return body
