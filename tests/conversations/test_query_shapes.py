"""Every query conversations issue is served by a declared index."""

from concierge.conversations import service

from ..support.queries import unserved
from .conftest import URL, bearer, body


def test_conversation_queries_are_index_backed(app, client, query_log):
    started = client.post(URL, json=body(shortlistId="AAAAAAAAAAAAAAAAAAAAAA")).get_json()
    started = client.post(URL, json=body()).get_json()
    path = f"{URL}/{started['conversationId']}"
    client.get(path, headers=bearer(started["token"]))
    client.post(f"{path}/messages", json={"body": "b"}, headers=bearer(started["token"]))
    client.post(f"{path}/read", headers=bearer(started["token"]))
    client.post("/api/concierge/stylist-tickets", json={
        "name": "A", "email": "a@example.com", "topic": "fit", "message": "m"})
    with app.test_request_context():
        service.reply(started["conversationId"], "answer", "Robin")
        service.set_status(started["conversationId"], "closed")
        service.assign(started["conversationId"], "Robin")
        service.counts()
        service.list_status("open")
        service.search("camille.martin@example.com")
        service.search("#gg 11982")
        service.earlier(service.find(started["conversationId"]))
        service.migrate_tickets()
    assert {q["collection"] for q in query_log.queries} >= {"conversations", "stylistTickets"}
    assert unserved(query_log) == []
