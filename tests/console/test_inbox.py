"""/console/conversations: inbox, thread, reply (emailed via aiosmtpd), close, reopen, assign."""

from __future__ import annotations

import re

import pytest

from concierge.outbox import worker

from ..conversations.conftest import URL, bearer, body

INBOX = "/console/conversations"


@pytest.fixture
def config(config, mail):
    return {**config, "CONCIERGE_SMTP_URL": mail.url, "CONCIERGE_PUBLIC_URL":
            "https://concierge.aurora.test", "CONCIERGE_MAIL_FROM": "Aurora <shop@aurora.test>"}


@pytest.fixture
def started(client) -> dict:
    """A French shopper's conversation about her order."""
    return client.post(URL, json=body(email="avery.stone@example.com")).get_json()


def thread(staff, conversation: dict) -> str:
    return staff.get(f"{INBOX}/{conversation['conversationId']}").get_data(as_text=True)


def test_the_inbox_is_for_signed_in_staff(client, started):
    response = client.get(INBOX)
    assert response.status_code == 302
    assert "/console/sign-in" in response.headers["Location"]


def test_the_inbox_lists_by_status_with_counts(staff, started, client):
    client.post(URL, json=body(email="second@example.com", name="Second Shopper"))
    page = staff.get(INBOX).get_data(as_text=True)
    assert "Camille Martin" in page
    assert "Second Shopper" in page
    assert re.search(r'Open <span class="count">2</span>', page)
    assert re.search(r'Waiting for the shopper <span class="count">0</span>', page)
    assert "Camille Martin" not in staff.get(f"{INBOX}?status=closed").get_data(as_text=True)


@pytest.mark.parametrize(("query", "found"), [
    ("Avery.Stone@Example.com", True), ("#gg 11982", True), ("GG-11982", True),
    ("nobody@example.com", False), ("GG-10457", False)])
def test_search_finds_an_email_or_an_order_number(staff, started, query, found):
    page = staff.get(INBOX, query_string={"q": query}).get_data(as_text=True)
    assert ("Camille Martin" in page) is found


@pytest.mark.parametrize("query", ["status=pending", "q=" + "x" * 255])
def test_bad_filters_are_shown_as_errors(staff, query):
    assert staff.get(f"{INBOX}?{query}").status_code == 422


def test_the_thread_shows_the_order_shortlist_names_and_earlier_conversations(
        staff, client, db):
    shortlist = client.post("/api/concierge/shortlists",
                            json={"skus": ["AUR-OW-0002"]}).get_json()["shortlistId"]
    earlier = client.post(URL, json=body(email="avery.stone@example.com",
                                         message="Une question plus ancienne")).get_json()
    current = client.post(URL, json=body(email="avery.stone@example.com",
                                         shortlistId=shortlist)).get_json()
    page = thread(staff, current)
    assert "GG-11982" in page
    assert "Trench Coat x 1" in page  # the order's lines by name
    assert "Shipped" in page
    assert "<li>Trench Coat</li>" in page  # the shortlist by name, not sku
    assert "AUR-OW-0002" not in page
    assert earlier["conversationId"] in page


def test_shopper_html_is_shown_as_text(staff, client):
    started = client.post(URL, json=body(message="<img src=x onerror=alert(1)>")).get_json()
    page = thread(staff, started)
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<img src=x" not in page


def test_a_reply_is_emailed_in_her_language_with_a_link_back_to_the_thread(
        app, staff, db, mail, started, client):
    assert staff.post(f"{INBOX}/{started['conversationId']}/reply",
                      body="Oui, <b>bien sûr</b> : écrivez-nous la nouvelle adresse."
                      ).status_code == 303
    with app.app_context():
        assert worker.deliver_due(app.config["CONCIERGE"], db, ["email"])["delivered"] == 1
    message = mail.messages[0]
    assert message["To"] == "avery.stone@example.com"
    assert message["Subject"] == "Notre équipe a répondu à votre message"
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Oui, <b>bien sûr</b>" in plain
    assert "Oui, &lt;b&gt;bien sûr&lt;/b&gt;" in html
    link = re.search(r"https://concierge\.aurora\.test/conversations/(\S+)\?token=(\S+)",
                     plain)
    assert link.group(1) == started["conversationId"]
    assert link.group(2) != started["token"]  # the email's own token
    by_link = client.get(f"{URL}/{link.group(1)}", query_string={"token": link.group(2)})
    assert by_link.status_code == 200
    assert by_link.get_json()["messages"][-1]["by"] == "Robin"
    assert link.group(2) not in str(db.conversations.find_one(
        {"conversationId": started["conversationId"]}))
    # Minted as the email was composed: no stored document holds a token that opens it.
    assert link.group(2) not in str(list(db.outbox.find()))
    assert "token" not in str(db.outbox.find_one({"channel": "email"})["email"])
    page = client.get(f"/conversations/{link.group(1)}?token={link.group(2)}")
    assert "bien sûr" in page.get_data(as_text=True)
    webhook = db.outbox.find_one({"type": "conversation.message_created", "channel": "webhook",
                                  "data.from": "staff"})
    assert webhook["data"]["by"] == "Robin"
    assert link.group(2) not in str(webhook)


def test_the_widget_then_shows_the_reply_unread_and_the_status_waiting(staff, client,
                                                                       started):
    staff.post(f"{INBOX}/{started['conversationId']}/reply", body="Bien sûr.")
    answer = client.get(f"{URL}/{started['conversationId']}",
                        headers=bearer(started["token"])).get_json()
    assert answer["status"] == "waiting"
    assert answer["unread"] == 1


@pytest.mark.parametrize(("reply", "status"), [("", 422), ("   ", 422), ("x" * 4001, 422),
                                               ("x" * 4000, 303)])
def test_reply_length_is_checked(staff, started, reply, status):
    assert staff.post(f"{INBOX}/{started['conversationId']}/reply",
                      body=reply).status_code == status


def test_close_reopen_and_assign_are_audited(staff, db, started):
    path = f"{INBOX}/{started['conversationId']}"
    assert staff.post(f"{path}/status", to="closed").status_code == 303
    assert "Reopen" in staff.get(path).get_data(as_text=True)
    assert staff.post(f"{path}/status", to="closed").status_code == 409
    assert staff.post(f"{path}/status", to="open").status_code == 303
    assert staff.post(f"{path}/assign", assignee="Sam Lee").status_code == 303
    staff.post(f"{path}/reply", body="Réponse")
    doc = db.conversations.find_one({"conversationId": started["conversationId"]})
    assert doc["assignee"] == "Sam Lee"
    actions = [(e["action"], e["who"]["staff"]) for e in
               db.audit.find({"target": started["conversationId"]}).sort("at", 1)]
    assert actions == [("conversation.closed", "Robin"), ("conversation.reopened", "Robin"),
                       ("conversation.assigned", "Robin"), ("conversation.replied", "Robin")]


def test_forms_without_the_csrf_token_are_refused(staff, started):
    response = staff.client.post(f"{INBOX}/{started['conversationId']}/reply",
                                 data={"body": "x"})
    assert response.status_code == 400


def test_an_unknown_conversation_is_a_404_page(staff):
    assert staff.get(f"{INBOX}/AAAAAAAAAAAAAAAAAAAAAA").status_code == 404
