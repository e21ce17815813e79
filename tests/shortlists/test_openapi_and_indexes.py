"""Shortlists: documented in OpenAPI with every error code; every query index-backed."""

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
    ("post", "/shortlists", [(422, "validation_error"), (503, "concierge_disabled")]),
    ("get", "/shortlists/{shortlist_id}", [(404, "shortlist_not_found"),
                                           (503, "concierge_disabled")]),
    ("put", "/shortlists/{shortlist_id}", [(404, "shortlist_not_found"),
                                           (422, "validation_error"),
                                           (503, "concierge_disabled")]),
])
def test_openapi_documents_every_answer(client, method, path, codes):
    spec = client.get(f"{API}/openapi.json").get_json()
    responses = spec["paths"][API + path][method]["responses"]
    for status, code in codes:
        assert code in responses[str(status)]["description"], (status, code)
    assert "application/problem+json" in responses["429"]["content"]


def test_every_query_is_index_backed(client, query_log):
    created = client.post(f"{API}/shortlists", json={"skus": ["AUR-DR-0001"]}).get_json()
    url = f"{API}/shortlists/{created['shortlistId']}"
    client.get(url)
    client.put(url, json={"skus": ["AUR-KN-0006", "AUR-ZZ-0001"]})
    client.put(url, json={"skus": ["AUR-KN-0006"]})
    assert len(query_log.queries) >= 4
    assert [q for q in query_log.queries
            if not served(q["collection"], q["filter"], q["sort"])] == []
