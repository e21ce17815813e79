"""Sign-in, the session cookie, CSRF, the rate limit on wrong tokens, sign-out."""

from __future__ import annotations

from datetime import timedelta

import pytest

from concierge import create_app

from .activity import TOKEN
from .conftest import Staff

PAGES = ("/console", "/console/moderation", "/console/tickets", "/console/returns",
         "/console/flag", "/console/deliveries", "/console/audit")


@pytest.mark.parametrize("path", PAGES)
def test_every_page_sends_a_visitor_without_session_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/console/sign-in?next={path}"


@pytest.mark.parametrize("path", PAGES)
def test_every_page_answers_signed_in_staff(staff, path):
    response = staff.get(path)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_right_token_starts_an_expiring_strict_http_only_session(client, app):
    response = Staff(client).sign_in()
    assert response.status_code == 303
    assert response.headers["Location"] == "/console"
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("concierge_console=")
    for attribute in ("HttpOnly", "SameSite=Strict", "Path=/console", "Expires="):
        assert attribute in cookie
    assert "Secure" not in cookie  # localhost: plain http works
    assert app.permanent_session_lifetime == timedelta(hours=8)


@pytest.mark.parametrize(("base_url", "secure"), [
    ("http://shop.example", True), ("https://shop.example", True),
    ("http://127.0.0.1:8000", False), ("http://[::1]:8000", False)])
def test_session_cookie_is_secure_outside_localhost(client, base_url, secure):
    page = client.get("/console/sign-in", base_url=base_url)
    assert ("; Secure" in page.headers["Set-Cookie"]) is secure


def test_wrong_token_is_refused_with_401_and_no_session(client):
    response = Staff(client).sign_in(token="t" * 44)
    assert response.status_code == 401
    assert "That token is not the admin token." in response.get_data(as_text=True)
    assert client.get("/console").status_code == 302


def test_post_without_csrf_token_is_refused_with_400(client, staff):
    assert client.post("/console/sign-in", data={"token": TOKEN}).status_code == 400
    response = client.post("/console/flag", data={"canaryPercent": "0"})
    assert response.status_code == 400
    assert "CSRF token is missing" in response.get_data(as_text=True)


def test_post_with_a_forged_csrf_token_is_refused_with_400(staff, db):
    before = db.featureFlags.find_one()
    response = staff.client.post("/console/flag", data={"canaryPercent": "0",
                                                        "csrf_token": "forged"})
    assert response.status_code == 400
    assert db.featureFlags.find_one() == before


def test_sign_out_ends_the_session(staff):
    response = staff.post("/console/sign-out")
    assert response.status_code == 303
    assert staff.get("/console").status_code == 302


def test_session_ends_when_the_admin_token_changes(config):
    fixed = {**config, "CONCIERGE_SECRET_KEY": "one signing key for both apps"}
    before = Staff(create_app(fixed).test_client())
    before.sign_in()
    cookie = before.client.get_cookie("concierge_console", path="/console").value
    for token, answer in ((TOKEN, 200), ("rotated-" + TOKEN, 302)):
        client = create_app({**fixed, "CONCIERGE_ADMIN_TOKEN": token}).test_client()
        client.set_cookie("concierge_console", cookie, path="/console")
        assert client.get("/console/audit").status_code == answer


def test_console_is_off_without_an_admin_token(config):
    client = create_app({**config, "CONCIERGE_ADMIN_TOKEN": ""}).test_client()
    assert client.get("/console/sign-in").status_code == 404


def test_sign_in_goes_back_to_the_page_asked_for_and_nowhere_else(client):
    staff = Staff(client)
    token = staff.token()
    asked = client.post("/console/sign-in?next=/console/returns",
                        data={"token": TOKEN, "csrf_token": token})
    assert asked.headers["Location"] == "/console/returns"
    elsewhere = client.post("/console/sign-in?next=https://evil.example/",
                            data={"token": TOKEN, "csrf_token": staff.token()})
    assert elsewhere.headers["Location"] == "/console"


class TestWrongTokensAreRateLimited:
    @pytest.fixture
    def config(self, config):
        return {**config, "RATELIMIT_ENABLED": True, "ADMIN_AUTH_LIMIT_PER_CLIENT": "3/minute"}

    def test_fourth_wrong_token_is_refused_with_429_even_the_right_one_after(self, client):
        staff = Staff(client)
        assert [staff.sign_in(token="w" * 40).status_code for _ in range(3)] == [401] * 3
        refused = staff.sign_in()
        assert refused.status_code == 429
        assert int(refused.headers["Retry-After"]) > 0
        assert "Too many wrong tokens" in refused.get_data(as_text=True)

    def test_right_tokens_do_not_count(self, client):
        staff = Staff(client)
        assert [staff.sign_in().status_code for _ in range(5)] == [303] * 5

    def test_wrong_tokens_at_the_api_and_the_console_share_one_budget(self, client):
        wrong = {"Authorization": "Bearer " + "w" * 40}
        answers = [client.get("/api/concierge/admin/inspiration", headers=wrong).status_code,
                   client.get("/metrics", headers=wrong).status_code]
        assert answers == [401, 401]
        staff = Staff(client)
        assert staff.sign_in(token="w" * 40).status_code == 401
        assert staff.sign_in().status_code == 429


def test_sign_in_without_a_name_is_audited_as_staff(client, db):
    assert Staff(client).sign_in(staff="  ").status_code == 303
    assert db.audit.find_one()["who"] == {"token": "CONCIERGE_ADMIN_TOKEN", "staff": "staff"}
