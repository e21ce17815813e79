"""Every query the stylist tickets issue is served by a declared index."""

from ..test_indexes import QueryLog, served


def test_ticket_queries_are_index_backed(app, client):
    log = QueryLog()
    app.extensions["concierge_store"].observers.append(log)
    client.post("/api/concierge/stylist-tickets", headers={"Idempotency-Key": "shape-key-01"},
                json={"name": "A", "email": "a@example.com", "topic": "fit", "message": "m",
                      "shortlistId": "AAAAAAAAAAAAAAAAAAAAAA"})
    collections = {q["collection"] for q in log.queries}
    assert {"widgetShortlists", "idempotencyKeys"} <= collections
    assert [q for q in log.queries if not served(q["collection"], q["filter"], q["sort"])] == []
