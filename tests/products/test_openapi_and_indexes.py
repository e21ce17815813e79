"""Products: documented in OpenAPI with every error code; every query index-backed."""

import pytest

from ..support.queries import unserved
from ..support.spec import documented_errors

API = "/api/concierge"


@pytest.fixture
def config(config) -> dict:
    """Look for catalogue changes on every search, so the index's reads are recorded too."""
    return {**config, "SEARCH_REFRESH_MS": 0}


@pytest.mark.parametrize(("method", "path", "codes"), [
    ("get", "/products", [(422, "validation_error"), (429, "rate_limited"),
                          (503, "concierge_disabled")]),
    ("get", "/products/{sku}", [(404, "product_not_found"), (429, "rate_limited"),
                                (503, "concierge_disabled")]),
])
def test_openapi_documents_every_answer(spec, method, path, codes):
    assert set(codes) <= documented_errors(spec, method, path)


def test_every_query_is_index_backed(client, query_log):
    for query in ({}, {"q": "silk dress"}, {"category": "shoes", "sort": "price_asc"},
                  {"color": "navy", "sort": "newest"}, {"size": "M", "inStock": "true"},
                  {"minPrice": 100, "sort": "price_desc"}, {"q": "dress", "maxPrice": 9000}):
        assert client.get(f"{API}/products", query_string=query).status_code == 200
    client.get(f"{API}/products/AUR-DR-0001")
    client.get(f"{API}/products/AUR-XX-0001")
    # The flag is read once (then cached for a second); the catalogue on every call.
    assert {q["collection"] for q in query_log.queries} >= {"featureFlags", "products"}
    assert unserved(query_log) == []
