"""Staff accounts: scrypt hashes, sign-in with email and password, roles, the Staff page."""

from __future__ import annotations

import re

import pytest

from concierge.console import accounts

from .activity import TOKEN
from .conftest import Staff

PASSWORD = "correct horse battery"


@pytest.fixture
def agent(app, client) -> Staff:
    """An agent signed in with her account."""
    with app.app_context():
        accounts.add("Sam Lee", "sam@aurora.test", "agent", PASSWORD)
    member = Staff(client)
    response = member.client.post("/console/sign-in/account", data={
        "email": " Sam@Aurora.test ", "password": PASSWORD, "csrf_token": member.token()})
    assert response.status_code == 303
    return member


def test_passwords_are_stored_as_werkzeug_scrypt_hashes(app, db):
    with app.app_context():
        accounts.add("Sam Lee", "sam@aurora.test", "agent", PASSWORD)
    stored = db.staffAccounts.find_one({"email": "sam@aurora.test"})
    assert stored["passwordHash"].startswith("scrypt:")
    assert PASSWORD not in str(stored)


@pytest.mark.parametrize(("email", "password"), [
    ("sam@aurora.test", "wrong password here"), ("nobody@aurora.test", PASSWORD),
    ("sam@aurora.test", "")])
def test_a_wrong_email_or_password_is_refused_and_audited(app, client, db, email, password):
    with app.app_context():
        accounts.add("Sam Lee", "sam@aurora.test", "agent", PASSWORD)
    member = Staff(client)
    response = client.post("/console/sign-in/account", data={
        "email": email, "password": password, "csrf_token": member.token()})
    assert response.status_code in (401, 422)
    assert client.get("/console/conversations").status_code == 302
    if response.status_code == 401:
        assert "do not match an account" in response.get_data(as_text=True)
        assert db.audit.find_one({"action": "console.sign_in_refused", "target": email})


def test_an_agent_uses_the_inbox_returns_and_moderation_only(agent, db):
    for path in ("/console/conversations", "/console/returns", "/console/moderation"):
        assert agent.get(path).status_code == 200, path
    for path in ("/console/flag", "/console/deliveries", "/console/audit", "/console/privacy",
                 "/console/staff", "/console/tickets"):
        assert agent.get(path).status_code == 403, path
    assert agent.get("/console").headers["Location"].endswith("/console/conversations")
    nav = agent.get("/console/returns").get_data(as_text=True)
    assert "Conversations" in nav
    assert ">Feature flag<" not in nav
    assert ">Staff<" not in nav


def test_an_agent_s_actions_name_her_account_in_the_audit(agent, client, db):
    conversation = client.post("/api/concierge/conversations", json={
        "name": "A", "email": "a@example.com", "message": "Bonjour"}).get_json()
    agent.post(f"/console/conversations/{conversation['conversationId']}/reply", body="Oui")
    entry = db.audit.find_one({"action": "conversation.replied"})
    assert entry["who"] == {"account": "sam@aurora.test", "staff": "Sam Lee", "role": "agent"}
    assert db.conversations.find_one()["messages"][-1]["by"] == "Sam Lee"


def test_removing_an_account_ends_its_sessions(app, agent):
    with app.app_context():
        accounts.remove("sam@aurora.test")
    assert agent.get("/console/conversations").status_code == 302


def test_the_admin_token_still_signs_in_as_the_first_admin(staff):
    assert staff.get("/console/staff").status_code == 200
    assert staff.get("/console/flag").status_code == 200


def test_admins_add_and_remove_accounts_on_the_staff_page(staff, db, client):
    response = staff.post("/console/staff", name="Kim Park", email="Kim@Aurora.test",
                          role="admin", password=PASSWORD)
    assert response.status_code == 303
    page = staff.get("/console/staff").get_data(as_text=True)
    assert "kim@aurora.test" in page
    assert staff.post("/console/staff", name="Kim", email="kim@aurora.test", role="agent",
                      password=PASSWORD).status_code == 409
    assert staff.post("/console/staff/remove", email="kim@aurora.test").status_code == 303
    assert db.staffAccounts.count_documents({}) == 0
    actions = [e["action"] for e in db.audit.find({"target": "kim@aurora.test"}).sort("at", 1)]
    assert actions == ["staff.added", "staff.removed"]


@pytest.mark.parametrize(("field", "value"), [
    ("password", "short"), ("role", "owner"), ("email", "not-an-email"), ("name", "")])
def test_bad_accounts_are_refused(staff, db, field, value):
    data = {"name": "Kim", "email": "kim@aurora.test", "role": "agent", "password": PASSWORD}
    data[field] = value
    assert staff.post("/console/staff", **data).status_code == 422
    assert db.staffAccounts.count_documents({}) == 0


def test_the_sign_in_page_puts_the_account_form_first_once_accounts_exist(app, client):
    first = client.get("/console/sign-in").get_data(as_text=True)
    assert re.search(r'id="token"[^>]*autofocus', first)
    with app.app_context():
        accounts.add("Sam Lee", "sam@aurora.test", "agent", PASSWORD)
    later = client.get("/console/sign-in").get_data(as_text=True)
    assert re.search(r'id="email"[^>]*autofocus', later)
    assert later.index('id="email"') < later.index('id="token"')


class TestLimits:
    @pytest.fixture
    def config(self, config):
        return {**config, "RATELIMIT_ENABLED": True, "ADMIN_AUTH_LIMIT_PER_CLIENT": "2/hour"}

    def test_wrong_passwords_share_the_wrong_tokens_budget(self, client):
        member = Staff(client)
        assert member.sign_in(token="x" * 30).status_code == 401
        wrong = {"email": "a@aurora.test", "password": "nope", "csrf_token": member.token()}
        assert client.post("/console/sign-in/account", data=wrong).status_code == 401
        assert client.post("/console/sign-in/account", data=wrong).status_code == 429
        assert member.sign_in(token=TOKEN).status_code == 429
