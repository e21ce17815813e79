"""A shopper who starts conversations through the API."""

from __future__ import annotations

import pytest

URL = "/api/concierge/conversations"


def body(**changes) -> dict:
    """Return a valid conversation request with some fields changed (None drops one)."""
    data = {"name": "Camille Martin", "email": " Camille.Martin@Example.com ",
            "message": "Puis-je changer mon adresse de livraison ?", "locale": "fr",
            "orderNumber": "GG-11982"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def bearer(token: str) -> dict:
    """Return the header that presents a conversation's token."""
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def started(client) -> dict:
    """A conversation started by a shopper: its answer, token included."""
    response = client.post(URL, json=body())
    assert response.status_code == 201
    return response.get_json()
