"""Stylist tickets are conversations with a stylist topic; older tickets are migrated."""

from __future__ import annotations

from datetime import UTC, datetime

from concierge import create_app
from concierge.conversations import service

from .conftest import URL, bearer

TICKETS = "/api/concierge/stylist-tickets"
TICKET = {"name": "Avery Stone", "email": "avery@example.com", "topic": "occasion",
          "message": "A blazer for a summer wedding?"}


def test_a_ticket_answers_its_conversation_and_token(client, db):
    response = client.post(TICKETS, json=TICKET)
    assert response.status_code == 201
    answer = response.get_json()
    assert answer["ticketNumber"].startswith("ST-")
    assert answer["status"] == "open"
    thread = client.get(f"{URL}/{answer['conversationId']}", headers=bearer(answer["token"]))
    assert thread.status_code == 200
    conversation = thread.get_json()
    assert conversation["topic"] == "stylist"
    assert conversation["ticketNumber"] == answer["ticketNumber"]
    assert conversation["messages"][0]["body"] == TICKET["message"]
    ticket = db.stylistTickets.find_one({"ticketNumber": answer["ticketNumber"]})
    assert ticket["conversationId"] == answer["conversationId"]


def test_a_replayed_ticket_answers_the_same_conversation_and_token(client, db):
    headers = {"Idempotency-Key": "stylist-conv-01"}
    first = client.post(TICKETS, json=TICKET, headers=headers).get_json()
    again = client.post(TICKETS, json=TICKET, headers=headers).get_json()
    assert again == first
    assert db.conversations.count_documents({}) == 1


def _old_ticket(number: str, status: str = "open") -> dict:
    return {"ticketNumber": number, "ticketId": f"page-id-{number}-0000000", "status": status,
            "name": "Old Shopper", "email": "old@example.com", "topic": "fit",
            "message": "From before conversations", "preferredContact": "email",
            "phone": None, "preferredTime": None, "shortlistId": None, "sessionId": None,
            "createdAt": datetime(2026, 1, 5, 10, tzinfo=UTC), "locale": "de"}


def test_tickets_from_before_are_migrated_once_at_start(tmp_path, config):
    folder = {**config, "CONCIERGE_DATA_DIR": str(tmp_path)}
    app = create_app(folder)
    db = app.extensions["concierge_store"].database()
    db.stylistTickets.insert_many([_old_ticket("ST-OLD0000001"),
                                   _old_ticket("ST-OLD0000002", "scheduled")])
    app.extensions["concierge_store"].close()
    for _ in range(2):  # a second start finds nothing left to do
        app = create_app(folder)
        db = app.extensions["concierge_store"].database()
        conversations = list(db.conversations.find({"topic": "stylist"}).sort("ticketNumber"))
        assert [c["ticketNumber"] for c in conversations] == ["ST-OLD0000001", "ST-OLD0000002"]
        assert [c["status"] for c in conversations] == ["open", "waiting"]
        assert all(c["tokenHashes"] == [] and c["locale"] == "de" for c in conversations)
        for ticket in db.stylistTickets.find():
            linked = db.conversations.find_one({"conversationId": ticket["conversationId"]})
            assert linked["ticketNumber"] == ticket["ticketNumber"]
        app.extensions["concierge_store"].close()


def test_a_migration_cut_short_after_the_conversation_finds_it_again(app, db):
    db.stylistTickets.insert_one(_old_ticket("ST-OLD0000003"))
    with app.app_context():
        first, _ = service.for_ticket(_old_ticket("ST-OLD0000003"), with_token=False)
        db.stylistTickets.update_one({"ticketNumber": "ST-OLD0000003"},
                                     {"$unset": {"conversationId": 1}})  # the link was lost
        assert service.migrate_tickets() == 1
    assert db.conversations.count_documents({"ticketNumber": "ST-OLD0000003"}) == 1
    assert db.stylistTickets.find_one({"ticketNumber": "ST-OLD0000003"})[
        "conversationId"] == first["conversationId"]
