"""Shortlists: documented in OpenAPI with every error code; every query index-backed."""

import pytest

from ..support.queries import unserved
from ..support.spec import documented_errors

API = "/api/concierge"




@pytest.mark.parametrize(("method", "path", "codes"), [
    ("post", "/shortlists", [(422, "validation_error"), (503, "concierge_disabled")]),
    ("get", "/shortlists/{shortlist_id}", [(404, "shortlist_not_found"),
                                           (503, "concierge_disabled")]),
    ("put", "/shortlists/{shortlist_id}", [(404, "shortlist_not_found"),
                                           (422, "validation_error"),
                                           (503, "concierge_disabled")]),
])
def test_openapi_documents_every_answer(spec, method, path, codes):
    assert set(codes) <= documented_errors(spec, method, path)


def test_every_query_is_index_backed(client, query_log):
    created = client.post(f"{API}/shortlists", json={"skus": ["AUR-DR-0001"]}).get_json()
    url = f"{API}/shortlists/{created['shortlistId']}"
    client.get(url)
    client.put(url, json={"skus": ["AUR-KN-0006", "AUR-ZZ-0001"]})
    client.put(url, json={"skus": ["AUR-KN-0006"]})
    assert len(query_log.queries) >= 4
    assert unserved(query_log) == []
