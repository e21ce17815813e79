"""Every query of an export and an erasure is served by a declared index."""

from ..support.queries import unserved

API = "/api/concierge/admin/privacy"


def test_export_and_erase_queries_are_index_backed(client, admin, jordan, query_log):
    client.get(f"{API}/export", query_string={"email": jordan.email}, headers=admin)
    client.post(f"{API}/erase", json={"email": jordan.email}, headers=admin)
    searched = {q["collection"] for q in query_log.queries}
    assert {"orders", "outbox", "analyticsEvents", "inspirationImages.chunks",
            "idempotencyKeys"} <= searched
    assert unserved(query_log) == []
