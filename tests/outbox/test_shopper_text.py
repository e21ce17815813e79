"""The store's mail is no relay: no shopper-written text in it, a budget per address."""

from __future__ import annotations

import pytest

from concierge.outbox import worker

API = "/api/concierge"
NAME = "Your account is locked\nCall +1 900 555 0100"
MESSAGE = "URGENT: confirm your card at https://evil.test/pay within 24 hours."
TICKET = {"name": NAME, "email": "victim@example.com", "topic": "fit", "message": MESSAGE}


@pytest.fixture
def config(config):
    return {**config, "OUTBOX_WORKER": False}


def deliver(app, db) -> dict:
    with app.app_context():
        return worker.deliver_due(app.config["CONCIERGE"], db, ["email"])


def bodies(message) -> str:
    return "\n".join(part.get_content() for part in message.walk()
                     if part.get_content_maintype() == "text")


def test_a_ticket_acknowledgement_carries_none_of_the_shoppers_words_but_a_link(
        app, client, db, mail):
    number = client.post(f"{API}/stylist-tickets", json=TICKET).get_json()["ticketNumber"]
    deliver(app, db)
    [message] = mail.messages
    text = bodies(message) + str(message["Subject"])
    for words in ("locked", "900 555", "evil.test", "URGENT", "confirm your card"):
        assert words not in text
    assert "We received your message" in text
    assert number in text
    ticket = db.stylistTickets.find_one({"ticketNumber": number})
    link = f"https://concierge.aurora.test/tickets/{ticket['ticketId']}"
    assert link in text
    page = client.get(link.removeprefix("https://concierge.aurora.test"))
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    assert "URGENT: confirm your card at https://evil.test/pay" in html  # shown, escaped
    assert "<a " not in html.split("<blockquote")[1]  # never made a link
    assert number in html


def test_an_unknown_ticket_page_is_a_404_page(client):
    page = client.get("/tickets/not-a-ticket-id-0000000000")
    assert page.status_code == 404
    assert "Request not found" in page.get_data(as_text=True)


def test_a_hold_confirmation_names_only_the_stores_own_words(app, client, db, mail):
    client.post(f"{API}/capsule-holds", json={"capsuleId": "capsule-weekend-edit",
                                              "email": "victim@example.com"})
    deliver(app, db)
    [message] = mail.messages
    assert "The Weekend Edit" in bodies(message)


def test_emails_to_one_address_are_budgeted_per_hour_and_others_are_not(app, client, db,
                                                                         mail, clock):
    clock.set(clock().replace(minute=5))
    for n in range(7):
        assert client.post(f"{API}/stylist-tickets",
                           json={**TICKET, "message": f"#{n}"}).status_code == 201
    client.post(f"{API}/stylist-tickets", json={**TICKET, "email": "someone@example.com"})
    counts = deliver(app, db)
    assert counts["delivered"] == 6  # five to the victim, one to someone else
    to = [str(m["To"]) for m in mail.messages]
    assert to.count("victim@example.com") == 5
    assert to.count("someone@example.com") == 1
    skipped = list(db.outbox.find({"channel": "email", "status": "skipped"}))
    assert len(skipped) == 2
    assert all("emails to this address within the hour" in d["lastError"] for d in skipped)
    # Every event still reaches the store's webhook.
    assert db.outbox.count_documents({"channel": "webhook",
                                      "type": "stylist_ticket.created"}) == 8
    clock.advance(hours=1)
    client.post(f"{API}/stylist-tickets", json=TICKET)
    assert deliver(app, db)["delivered"] == 1  # a new hour, a new budget


def test_the_budget_is_a_setting(app, client, db, mail):
    app.config["EMAILS_PER_ADDRESS_PER_HOUR"] = 1
    for _ in range(2):
        client.post(f"{API}/stylist-tickets", json=TICKET)
    assert deliver(app, db)["delivered"] == 1
