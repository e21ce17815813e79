"""401 without a valid key (with WWW-Authenticate), 403 without the scope, wrong keys limited."""

from __future__ import annotations

import pytest

from ..support.spec import documented_errors
from .conftest import API, BOOTSTRAP, order_body, product_body

CALLS = [
    ("put", "/products/AUR-AUTH-001", product_body()),
    ("post", "/products/batch", {"products": [{"sku": "AUR-AUTH-002", **product_body()}]}),
    ("delete", "/products/AUR-DR-0001", None),
    ("put", "/orders/GG-30001", order_body()),
    ("post", "/orders/batch", {"orders": [{"orderNumber": "GG-30002", **order_body()}]}),
    ("post", "/orders/GG-11982/events", {"eventId": "e-1", "status": "delivered",
                                         "at": "2030-01-01T00:00:00Z", "description": "x"}),
]


@pytest.mark.parametrize(("method", "path", "body"), CALLS)
@pytest.mark.parametrize("header", [None, "Bearer", "Bearer wrong-key", f"Basic {BOOTSTRAP}",
                                    "Bearer cmk_0123456789ab_not-the-secret"])
def test_missing_or_wrong_keys_get_401_with_a_bearer_challenge(client, method, path, body,
                                                               header):
    headers = {"Authorization": header} if header else {}
    answer = getattr(client, method)(API + path, json=body, headers=headers)
    assert answer.status_code == 401
    assert answer.get_json()["code"] == "unauthorized"
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    assert answer.content_type == "application/problem+json"


@pytest.mark.parametrize(("method", "path", "body"), CALLS)
def test_a_key_without_the_scope_gets_403(client, make_key, method, path, body):
    needed = "orders:write" if "/orders" in path else "catalog:write"
    other = "catalog:write" if needed == "orders:write" else "orders:write"
    key, _ = make_key(other)
    answer = getattr(client, method)(API + path, json=body,
                                     headers={"Authorization": f"Bearer {key}"})
    assert answer.status_code == 403
    assert answer.get_json()["code"] == "insufficient_scope"
    assert f'scope="{needed}"' in answer.headers["WWW-Authenticate"]


def test_the_scope_is_checked_before_the_body(client, make_key):
    key, _ = make_key("orders:write")
    answer = client.put(f"{API}/products/AUR-AUTH-003", data="{not json",
                        content_type="application/json",
                        headers={"Authorization": f"Bearer {key}"})
    assert answer.status_code == 403


@pytest.mark.parametrize("config", [{
    "TESTING": True, "LOG_LEVEL": "WARNING", "CONCIERGE_MERCHANT_KEY": BOOTSTRAP,
    "RATELIMIT_ENABLED": True, "MERCHANT_AUTH_LIMIT_PER_CLIENT": "3/minute"}])
def test_wrong_keys_are_rate_limited_but_right_ones_do_not_count(client, auth, config):
    for _ in range(5):
        assert client.delete(f"{API}/products/AUR-DR-0001", headers=auth).status_code == 200
    for _ in range(3):
        wrong = client.delete(f"{API}/products/AUR-DR-0001",
                              headers={"Authorization": "Bearer guess"})
        assert wrong.status_code == 401
    limited = client.delete(f"{API}/products/AUR-DR-0001",
                            headers={"Authorization": "Bearer guess"})
    assert limited.status_code == 429
    assert limited.get_json()["code"] == "rate_limited"
    assert int(limited.headers["Retry-After"]) >= 1


def test_every_merchant_operation_documents_its_key_and_errors(spec):
    assert spec["components"]["securitySchemes"]["merchantKey"] == {
        **spec["components"]["securitySchemes"]["merchantKey"], "type": "http",
        "scheme": "bearer"}
    operations = [(m, p) for p, ops in spec["paths"].items() if "/merchant/" in p
                  for m in ops]
    assert len(operations) == 17  # products (3), inventory (2), orders (3), capsules (3),
    # search synonyms (2), search rules (3), a return's label (1)
    for method, path in operations:
        operation = spec["paths"][path][method]
        assert operation["security"] == [{"merchantKey": []}]
        assert operation["x-required-scopes"] in (["catalog:write"], ["orders:write"])
        errors = documented_errors(spec, method, path.removeprefix("/api/concierge"))
        assert {(401, "unauthorized"), (403, "insufficient_scope"),
                (429, "rate_limited")} <= errors


@pytest.mark.parametrize(("header", "status", "challenge", "detail"), [
    (None, 401, 'Bearer realm="concierge-merchant"',
     "Send Authorization: Bearer <merchant API key>."),
    ("Bearer   ", 401, 'Bearer realm="concierge-merchant"',
     "Send Authorization: Bearer <merchant API key>."),
    ("Bearer wrong-key", 401, 'Bearer realm="concierge-merchant", error="invalid_token"',
     "The API key is wrong or revoked."),
    ("orders-only", 403, 'Bearer realm="concierge-merchant", error="insufficient_scope", '
     'scope="catalog:write"', "This endpoint needs the catalog:write scope."),
])
def test_each_refusal_says_what_to_send(client, make_key, header, status, challenge, detail):
    if header == "orders-only":
        header = f"Bearer {make_key('orders:write')[0]}"
    answer = client.delete(f"{API}/products/AUR-DR-0001",
                           headers={"Authorization": header} if header else {})
    assert answer.status_code == status
    assert answer.headers["WWW-Authenticate"] == challenge
    assert answer.get_json()["detail"] == detail


@pytest.mark.parametrize("header", [f"bearer {BOOTSTRAP}", f"BEARER {BOOTSTRAP}",
                                    f"Bearer   {BOOTSTRAP}  "])
def test_the_scheme_is_case_insensitive_and_spaces_around_the_key_are_ignored(client, header):
    answer = client.delete(f"{API}/products/AUR-DR-0001", headers={"Authorization": header})
    assert answer.status_code == 200
