"""Products: documented in OpenAPI with every error code; every query index-backed."""

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
    ("get", "/products", [(422, "validation_error"), (429, "rate_limited"),
                          (503, "concierge_disabled")]),
    ("get", "/products/{sku}", [(404, "product_not_found"), (429, "rate_limited"),
                                (503, "concierge_disabled")]),
])
def test_openapi_documents_every_answer(client, method, path, codes):
    spec = client.get(f"{API}/openapi.json").get_json()
    responses = spec["paths"][API + path][method]["responses"]
    for status, code in codes:
        assert code in responses[str(status)]["description"], (status, code)
    assert "application/problem+json" in responses["429"]["content"]


def test_every_query_is_index_backed(client, query_log):
    for query in ({}, {"q": "silk dress"}, {"category": "shoes", "sort": "price_asc"},
                  {"color": "navy", "sort": "newest"}, {"size": "M", "inStock": "true"},
                  {"minPrice": 100, "sort": "price_desc"}, {"q": "dress", "maxPrice": 9000}):
        assert client.get(f"{API}/products", query_string=query).status_code == 200
    client.get(f"{API}/products/AUR-DR-0001")
    client.get(f"{API}/products/AUR-XX-0001")
    assert len(query_log.queries) >= 8
    assert [q for q in query_log.queries
            if not served(q["collection"], q["filter"], q["sort"])] == []
