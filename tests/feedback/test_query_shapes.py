"""Every query CSAT and the outbox issue is served by a declared index."""

from concierge.events import now
from concierge.feedback.outbox import deliver_due

from ..queries import unserved


def test_csat_and_outbox_queries_are_index_backed(client, query_log, db, receiver,
                                                  session_headers):
    client.post("/api/concierge/csat", json={"rating": 1}, headers=session_headers)
    deliver_due(db, receiver(failures=1).url, now())
    collections = {q["collection"] for q in query_log.queries}
    assert {"csatResponses", "agentNotifications"} <= collections
    assert unserved(query_log) == []
