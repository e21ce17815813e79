"""Returns: documented in OpenAPI with every error code; every query index-backed."""

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
    ("post", "/returns", [(400, "idempotency_key_required"), (404, "order_not_found"),
                          (409, "idempotency_request_in_progress"),
                          (422, "return_not_eligible"), (422, "return_quantity_exceeded"),
                          (422, "idempotency_key_reused"), (422, "validation_error"),
                          (415, "unsupported_media_type"), (503, "concierge_disabled")]),
])
def test_openapi_documents_every_answer(client, method, path, codes):
    spec = client.get(f"{API}/openapi.json").get_json()
    responses = spec["paths"][API + path][method]["responses"]
    for status, code in codes:
        assert code in responses[str(status)]["description"], (status, code)
    assert "application/problem+json" in responses["429"]["content"]


def test_every_query_is_index_backed(client, query_log):
    body = {"orderNumber": "GG-10457", "postalCode": "94110",
            "items": [{"sku": "AUR-TP-0001", "quantity": 2, "reason": "other"}]}
    for key in ("index-walk-01", "index-walk-01", "index-walk-02"):
        client.post(f"{API}/returns", json=body, headers={"Idempotency-Key": key})
    assert len(query_log.queries) >= 3
    assert [q for q in query_log.queries
            if not served(q["collection"], q["filter"], q["sort"])] == []
