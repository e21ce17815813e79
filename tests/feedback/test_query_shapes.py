"""Every query CSAT and the outbox issue is served by a declared index."""

from concierge.events import now
from concierge.feedback.outbox import deliver_due

from ..test_indexes import QueryLog, served


def test_csat_and_outbox_queries_are_index_backed(app, client, db, receiver,
                                                  session_headers):
    log = QueryLog()
    app.extensions["concierge_store"].observers.append(log)
    client.post("/api/concierge/csat", json={"rating": 1}, headers=session_headers)
    deliver_due(db, receiver(failures=1).url, now())
    collections = {q["collection"] for q in log.queries}
    assert {"csatResponses", "agentNotifications"} <= collections
    assert [q for q in log.queries if not served(q["collection"], q["filter"], q["sort"])] == []
