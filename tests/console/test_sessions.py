"""Console sessions end for good: at sign-out (copies of the cookie too) and at a fixed time."""

from __future__ import annotations

from datetime import timedelta

from .conftest import Staff

COOKIE = "concierge_console"


def copy_cookie(source, target) -> None:
    cookie = source.get_cookie(COOKIE, path="/console")
    target.set_cookie(COOKIE, cookie.value, path="/console")


def test_a_copied_cookie_is_refused_once_its_session_signs_out(app, staff):
    thief = app.test_client()
    copy_cookie(staff.client, thief)
    assert thief.get("/console").status_code == 200
    assert staff.post("/console/sign-out").status_code == 303
    assert thief.get("/console").status_code == 302
    assert thief.get("/console/audit").status_code == 302


def test_a_session_ends_at_its_lifetime_however_busy_it_was(app, client, clock):
    clock.freeze()
    staff = Staff(client)
    staff.sign_in()
    for _ in range(7):
        clock.advance(hours=1)
        assert staff.get("/console").status_code == 200  # every hour: busy, never idle
    clock.advance(minutes=59, seconds=59)
    assert staff.get("/console").status_code == 200
    clock.advance(seconds=2)  # eight hours after the sign-in
    assert staff.get("/console").status_code == 302


def test_the_cookie_expires_when_the_session_ends_and_never_slides(app, client, clock):
    started = clock.freeze()
    staff = Staff(client)
    first = staff.sign_in().headers["Set-Cookie"]
    clock.advance(hours=3)
    later = staff.post("/console/flag", canaryPercent="0", enabled="on",
                       confirm="yes").headers["Set-Cookie"]
    expires = [attribute for cookie in (first, later) for attribute in cookie.split("; ")
               if attribute.startswith("Expires=")]
    assert len(expires) == 2
    assert expires[0] == expires[1]
    assert (started + timedelta(hours=8)).strftime("%d %b %Y %H:%M:%S") in expires[0]


def test_a_visitor_without_a_session_cannot_sign_anyone_out(app, staff):
    visitor = Staff(app.test_client())
    assert visitor.client.post("/console/sign-out", data={
        "csrf_token": visitor.token()}).status_code == 303
    assert staff.get("/console").status_code == 200


def test_signing_in_again_after_a_sign_out_works(staff):
    staff.post("/console/sign-out")
    assert staff.sign_in().status_code == 303
    assert staff.get("/console").status_code == 200
