"""Every query the stylist tickets issue is served by a declared index."""

from ..support.queries import unserved


def test_ticket_queries_are_index_backed(client, query_log):
    client.post("/api/concierge/stylist-tickets", headers={"Idempotency-Key": "shape-key-01"},
                json={"name": "A", "email": "a@example.com", "topic": "fit", "message": "m",
                      "shortlistId": "AAAAAAAAAAAAAAAAAAAAAA"})
    collections = {q["collection"] for q in query_log.queries}
    assert {"widgetShortlists", "idempotencyKeys"} <= collections
    assert unserved(query_log) == []
