"""Capsules: documented in OpenAPI with every error code; every query index-backed."""

import pytest

from ..test_indexes import QueryLog, served

API = "/api/concierge"


@pytest.fixture
def query_log(app):
    log = QueryLog()
    app.extensions["concierge_store"].observers.append(log)
    yield log
    app.extensions["concierge_store"].observers.remove(log)


@pytest.mark.parametrize(("method", "path", "codes"), [
    ("get", "/capsules", [(429, "rate_limited"), (503, "concierge_disabled")]),
    ("post", "/capsule-holds", [(404, "capsule_not_found"), (409, "duplicate_hold"),
                                (409, "capsule_unavailable"), (422, "validation_error"),
                                (503, "concierge_disabled")]),
    ("get", "/capsule-holds/{hold_id}", [(404, "hold_not_found"), (503, "concierge_disabled")]),
    ("delete", "/capsule-holds/{hold_id}", [(404, "hold_not_found"),
                                            (503, "concierge_disabled")]),
])
def test_openapi_documents_every_answer(client, method, path, codes):
    spec = client.get(f"{API}/openapi.json").get_json()
    responses = spec["paths"][API + path][method]["responses"]
    for status, code in codes:
        assert code in responses[str(status)]["description"], (status, code)
    assert "application/problem+json" in responses["429"]["content"]


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
    assert [q for q in query_log.queries
            if not served(q["collection"], q["filter"], q["sort"])] == []
