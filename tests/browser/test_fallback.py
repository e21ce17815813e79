"""The fallback (flag off on a real server, API down), and client events reaching the store."""

from __future__ import annotations

import threading

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from concierge import create_app, events
from concierge.db import get_db
from concierge.flags import set_flag

from .conftest import WIDGET_FRAME, choose, open_widget, relayed, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.live]
CONTACT = "https://help.aurora.example/contact"


@pytest.fixture(scope="module")
def flagged():
    """A real server in this process, so the test can switch the flag in its embedded store."""
    app = create_app({"MONGO_URI": "", "RATELIMIT_ENABLED": False, "LOG_LEVEL": "WARNING",
                      "CONCIERGE_CONTACT_URL": CONTACT})
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()

    def switch(enabled: bool, canary: int = 100) -> None:
        with app.app_context():
            set_flag(get_db(), enabled, canary)

    def stored(name: str) -> list[dict]:
        with app.app_context():
            events.flush()  # the writer would within a second; the test reads now
            return list(get_db().analyticsEvents.find({"name": name}))

    switch.url = f"http://127.0.0.1:{httpd.server_port}"
    switch.stored = stored
    yield switch
    httpd.shutdown()
    httpd.server_close()


def test_flag_off_shows_the_contact_fallback(page, flagged):
    flagged(False, 0)
    try:
        page.goto(f"{flagged.url}/demo")
        page.evaluate("window.__events = []; AuroraConcierge.on('*', e => window.__events.push(e))")
        page.get_by_role("button", name="Ask Aurora").click()
        frame = page.frame_locator(WIDGET_FRAME)
        expect(frame.get_by_role("heading", name="We can't help here right now")).to_be_focused()
        expect(frame.get_by_role("link", name="Contact customer care")).to_have_attribute(
            "href", CONTACT)
        expect(frame.get_by_role("button", name="Find products")).to_be_hidden()
        relayed(page, "aurora_fallback_shown")
        screenshot(page, "fallback-flag-off")
    finally:
        flagged(True, 100)


def test_flag_switched_off_mid_visit_falls_back_on_the_next_call(page, flagged):
    frame = open_widget(page, flagged.url)
    region = choose(frame, "Track an order")
    flagged(False, 0)
    try:
        region.get_by_label("Order number").fill("GG-11982")
        region.get_by_label("Email or postal code").fill("10001")
        region.get_by_role("button", name="Track order").click()
        expect(frame.get_by_role("heading", name="We can't help here right now")).to_be_visible()
    finally:
        flagged(True, 100)
    frame.get_by_role("button", name="Try again").click()
    expect(frame.get_by_role("heading", name="How can we help?")).to_be_visible()


def test_api_down_shows_the_fallback_with_the_configured_contact(page, server):
    page.route("**/api/concierge/**", lambda route: route.abort("connectionrefused"))
    page.expected_errors.append("ERR_CONNECTION_REFUSED")
    page.goto(f"{server.url}/demo")
    page.get_by_role("button", name="Ask Aurora").click()
    frame = page.frame_locator(WIDGET_FRAME)
    expect(frame.get_by_role("heading", name="We can't help here right now")).to_be_visible()
    expect(frame.get_by_role("link", name="Contact customer care")).to_have_attribute(
        "href", "mailto:help@aurora.example")


def test_api_error_mid_journey_shows_a_friendly_message(page, server):
    frame = open_widget(page, server.url)
    region = choose(frame, "Track an order")
    page.route("**/api/concierge/orders/lookup", lambda route: route.abort("connectionreset"))
    region.get_by_label("Order number").fill("GG-11982")
    region.get_by_label("Email or postal code").fill("10001")
    region.get_by_role("button", name="Track order").click()
    alert = region.get_by_role("alert")
    expect(alert).to_contain_text("We couldn't reach the store")
    expect(alert.get_by_role("link", name="Contact customer care")).to_be_visible()


def test_client_side_events_are_posted_to_the_events_endpoint(page, flagged):
    frame = open_widget(page, flagged.url)
    choose(frame, "Share inspiration")
    relayed(page, "aurora_intent_selected")
    session = frame.locator("body").evaluate("() => localStorage.getItem('aurora.session')")
    page.wait_for_timeout(300)  # the POST is fire-and-forget
    opened = [e for e in flagged.stored("aurora_widget_opened") if e["sessionId"] == session]
    selected = [e for e in flagged.stored("aurora_intent_selected") if e["sessionId"] == session]
    assert len(opened) == 1
    assert [e["props"] for e in selected] == [{"intent": "inspiration"}]
