"""Two shoppers who used every journey, on an app with an admin token and a merchant key."""

from __future__ import annotations

import pytest

from .shopper import ADMIN_TOKEN, CASEY, JORDAN, MERCHANT_KEY, Shopper, client_sender, walk


@pytest.fixture
def config(config):
    return {**config, "CONCIERGE_ADMIN_TOKEN": ADMIN_TOKEN,
            "CONCIERGE_MERCHANT_KEY": MERCHANT_KEY}


@pytest.fixture
def admin() -> dict:
    """The admin API's headers."""
    return {"Authorization": f"Bearer {ADMIN_TOKEN}"}


@pytest.fixture
def jordan(client) -> Shopper:
    """The shopper who asks: every journey, in her own widget session."""
    return walk(client_sender(client), Shopper(*JORDAN))


@pytest.fixture
def casey(client, jordan) -> Shopper:
    """Another shopper, every journey too, after Jordan."""
    return walk(client_sender(client), Shopper(*CASEY))
