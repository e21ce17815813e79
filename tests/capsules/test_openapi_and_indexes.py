"""Capsules: documented in OpenAPI with every error code; every query index-backed."""

import pytest

from ..support.queries import unserved
from ..support.spec import documented_errors

API = "/api/concierge"




@pytest.mark.parametrize(("method", "path", "codes"), [
    ("get", "/capsules", [(429, "rate_limited"), (503, "concierge_disabled")]),
    ("post", "/capsule-holds", [(404, "capsule_not_found"), (409, "duplicate_hold"),
                                (409, "capsule_unavailable"), (422, "validation_error"),
                                (503, "concierge_disabled")]),
    ("get", "/capsule-holds/{hold_id}", [(404, "hold_not_found"), (503, "concierge_disabled")]),
    ("delete", "/capsule-holds/{hold_id}", [(404, "hold_not_found"),
                                            (503, "concierge_disabled")]),
])
def test_openapi_documents_every_answer(spec, method, path, codes):
    assert set(codes) <= documented_errors(spec, method, path)


def test_every_query_is_index_backed(client, query_log):
    client.get(f"{API}/capsules")
    for email in ("a@example.com", "a@example.com", "b@example.com"):
        answer = client.post(f"{API}/capsule-holds", json={
            "capsuleId": "capsule-last-one", "email": email, "size": "M"})
    held = client.post(f"{API}/capsule-holds", json={
        "capsuleId": "capsule-weekend-edit", "email": "a@example.com"}).get_json()
    assert answer.status_code == 409
    client.get(f"{API}/capsule-holds/{held['holdId']}")
    client.delete(f"{API}/capsule-holds/{held['holdId']}")
    client.delete(f"{API}/capsule-holds/{held['holdId']}")
    assert len(query_log.queries) >= 10
    assert unserved(query_log) == []
