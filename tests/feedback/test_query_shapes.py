"""Every query CSAT issues is served by a declared index."""

from ..support.queries import unserved


def test_csat_queries_are_index_backed(client, query_log, session_headers):
    client.post("/api/concierge/csat", json={"rating": 1}, headers=session_headers)
    collections = {q["collection"] for q in query_log.queries}
    assert {"csatResponses", "notificationCaps"} <= collections
    assert unserved(query_log) == []
