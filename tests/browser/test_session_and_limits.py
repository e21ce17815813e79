"""The session id the widget sends, and the friendly message for a real rate limit."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ..support.live import gunicorn
from .conftest import choose, open_widget

pytestmark = [pytest.mark.browser, pytest.mark.live]


def test_session_id_is_random_kept_across_visits_and_sent_on_every_call(page, server):
    sessions: list[str] = []
    page.on("request", lambda r: "/api/concierge/" in r.url and sessions.append(
        r.headers.get("x-concierge-session", "")))
    frame = open_widget(page, server.url)
    choose(frame, "Capsule collections").get_by_role("status").wait_for()
    open_widget(page, server.url)  # a second visit
    page.wait_for_function("() => (window.__events || []).length > 0")
    assert len(sessions) >= 4
    assert len(set(sessions)) == 1
    assert re.fullmatch(r"[A-Za-z0-9_-]{16,64}", sessions[0])
    other = page.context.browser.new_context()
    try:
        fresh = other.new_page()
        with fresh.expect_request("**/api/concierge/config") as config:
            fresh.goto(f"{server.url}/widget")
        assert config.value.headers["x-concierge-session"] != sessions[0]
    finally:
        other.close()


@pytest.fixture(scope="module")
def limited(tmp_path_factory):
    """A server that allows one failed lookup per order per minute."""
    with gunicorn(tmp_path_factory.mktemp("limited"), RATELIMIT_ENABLED="true",
                 ORDER_LOOKUP_LIMIT_PER_ORDER="1/minute") as live:
        yield live


def test_rate_limited_lookup_says_how_long_to_wait(page, limited):
    frame = open_widget(page, limited.url)
    region = choose(frame, "Track an order")
    region.get_by_label("Order number").fill("GG-12040")
    region.get_by_label("Email or postal code").fill("00000")  # a guess: a failed attempt
    region.get_by_role("button", name="Track order").click()
    expect(region.get_by_role("alert")).to_contain_text("couldn't find that order")
    region.get_by_label("Email or postal code").fill("00001")
    region.get_by_role("button", name="Track order").click()
    expect(region.get_by_role("alert")).to_contain_text(
        re.compile(r"You're going a little fast\. Please wait \d+ seconds"))
