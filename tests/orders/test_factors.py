"""Every endpoint that checks an order's secondary factor answers a wrong guess, ASCII or not,
exactly like an unknown order."""

from __future__ import annotations

import pytest

API = "/api/concierge"
ITEMS = {"items": [{"sku": "AUR-TP-0001", "quantity": 1, "reason": "too_small"}]}
SUBSCRIPTION = {"channel": "email", "destination": "someone@example.com"}
ENDPOINTS = [("/orders/lookup", {}), ("/returns", ITEMS), ("/order-subscriptions", SUBSCRIPTION)]
FULLWIDTH_94110 = "\uff19\uff14\uff11\uff11\uff10"
GUESSES = [{"email": "jördan.lee@example.com"}, {"email": "jordan.lee@exämple.com"},
           {"postalCode": "9411é"}, {"postalCode": FULLWIDTH_94110}, {"email": "日本@example.com"},
           {"email": "someone.else@example.com"}, {"postalCode": "00000"}]


def answer(client, path, body):
    response = client.post(API + path, json=body, headers={"Idempotency-Key": "factor-key-01"})
    problem = response.get_json()
    problem.pop("requestId")
    return response.status_code, response.content_type, problem


def guess_id(guess: dict) -> str:
    """Name a guess in ASCII without backslashes: pytest cannot select ids holding them."""
    return ascii(guess).replace("\\", "")


@pytest.mark.parametrize("guess", GUESSES, ids=guess_id)
@pytest.mark.parametrize(("path", "extra"), ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
def test_wrong_factor_on_a_known_order_answers_like_an_unknown_order(client, path, extra,
                                                                    guess):
    known = answer(client, path, {"orderNumber": "GG-10457", **guess, **extra})
    unknown = answer(client, path, {"orderNumber": "GG-99999", **guess, **extra})
    assert known == unknown
    assert known[0] == 404
    assert known[2]["code"] == "order_not_found"
