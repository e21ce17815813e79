"""Returns: documented in OpenAPI with every error code; every query index-backed."""

import pytest

from ..support.queries import unserved
from ..support.spec import documented_errors

API = "/api/concierge"




@pytest.mark.parametrize(("method", "path", "codes"), [
    ("post", "/returns", [(400, "idempotency_key_required"), (404, "order_not_found"),
                          (409, "idempotency_request_in_progress"),
                          (422, "return_not_eligible"), (422, "return_quantity_exceeded"),
                          (422, "idempotency_key_reused"), (422, "validation_error"),
                          (415, "unsupported_media_type"), (503, "concierge_disabled")]),
])
def test_openapi_documents_every_answer(spec, method, path, codes):
    assert set(codes) <= documented_errors(spec, method, path)


def test_every_query_is_index_backed(client, query_log):
    body = {"orderNumber": "GG-10457", "postalCode": "94110",
            "items": [{"sku": "AUR-TP-0001", "quantity": 2, "reason": "other"}]}
    for key in ("index-walk-01", "index-walk-01", "index-walk-02"):
        client.post(f"{API}/returns", json=body, headers={"Idempotency-Key": key})
    assert len(query_log.queries) >= 3
    assert unserved(query_log) == []
