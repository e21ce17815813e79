"""Nothing stored or sent before the first open; data-consent="required" holds analytics back."""

from __future__ import annotations

import http.server
import threading

import pytest
from playwright.sync_api import expect

from ..support.live import gunicorn
from .conftest import WIDGET_FRAME, choose, track

pytestmark = [pytest.mark.browser, pytest.mark.live]

EVENTS = "/api/concierge/events"


class Storefront(http.server.BaseHTTPRequestHandler):
    """A shop's page with the loader tag; /consent asks for consent first."""

    concierge = ""

    def do_GET(self):
        consent = ' data-consent="required"' if self.path == "/consent" else ""
        body = ("<!doctype html><html lang='en'><head><title>Shop</title>"
                "<link rel='icon' href='data:,'><script>window.dataLayer = [];</script></head>"
                "<body><h1>A shop</h1>"
                f"<script async src='{self.concierge}/static/aurora-embed.js'{consent}></script>"
                "</body></html>").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    """A storefront on its own origin and a concierge that lets it frame the widget."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Storefront)
    shop_url = f"http://127.0.0.1:{httpd.server_address[1]}"
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        with gunicorn(tmp_path_factory.mktemp("consent"),
                      CONCIERGE_ALLOWED_ORIGINS=shop_url) as live:
            Storefront.concierge = live.url
            yield shop_url
    finally:
        httpd.shutdown()
        httpd.server_close()


def _requests(page) -> list[str]:
    seen: list[str] = []
    page.context.on("request", lambda request: seen.append(request.url))
    return seen


def _stored(page) -> dict:
    state = page.context.storage_state()  # cookies and localStorage of every origin
    return {"cookies": state["cookies"], "localStorage": state["origins"],
            "sessionStorage": page.evaluate("sessionStorage.length")}


def _open(page):
    page.get_by_role("button", name="Ask Aurora").click()
    frame = page.frame_locator(WIDGET_FRAME)
    frame.locator("html[data-ready]").wait_for(state="attached")
    return frame


@pytest.mark.parametrize("path", ["/", "/consent"])
def test_before_the_first_open_nothing_is_stored_and_only_the_loader_is_fetched(page, shop,
                                                                                   path):
    seen = _requests(page)
    page.goto(shop + path)
    expect(page.get_by_role("button", name="Ask Aurora")).to_be_visible()
    page.mouse.move(200, 200)  # a shopper moving about and scrolling, not opening
    page.mouse.wheel(0, 300)
    page.wait_for_timeout(1_000)
    assert seen == [shop + path, f"{Storefront.concierge}/static/aurora-embed.js"]
    assert _stored(page) == {"cookies": [], "localStorage": [], "sessionStorage": 0}
    assert page.evaluate("window.dataLayer") == []

    _open(page)  # from here on the widget may keep its session and the open panel
    stored = _stored(page)
    assert [o["origin"] for o in stored["localStorage"]] == [Storefront.concierge]
    assert stored["sessionStorage"] == 1
    assert any("/widget?" in url for url in seen)


def test_with_consent_required_no_analytics_leave_until_consent(page, shop):
    seen = _requests(page)
    page.goto(f"{shop}/consent")
    page.evaluate("window.relayed = []; AuroraConcierge.on('*', e => relayed.push(e.name))")
    frame = _open(page)
    region = track(frame, "GG-11982", "avery.stone@example.com")  # the journey works
    expect(region.get_by_text("Shipped", exact=True).first).to_be_visible()
    page.wait_for_timeout(500)
    assert [url for url in seen if url.endswith(EVENTS)] == []
    assert page.evaluate("window.dataLayer") == []
    assert page.evaluate("window.relayed") == []

    page.evaluate("AuroraConcierge.consent(true)")
    frame.get_by_role("button", name="Menu").click()
    with page.expect_request(lambda r: r.url.endswith(EVENTS)) as sent:
        choose(frame, "Start a return")
    assert sent.value.post_data_json["events"][0]["name"] == "aurora_intent_selected"
    # The relay to the page is a postMessage of its own: it may land after the request.
    page.wait_for_function("window.dataLayer.length > 0")
    assert page.evaluate("window.dataLayer.map(e => e.event)") == ["aurora_intent_selected"]

    page.evaluate("AuroraConcierge.consent(false)")
    before = len([url for url in seen if url.endswith(EVENTS)])
    frame.get_by_role("button", name="Menu").click()
    choose(frame, "Track an order")
    page.wait_for_timeout(500)
    assert len([url for url in seen if url.endswith(EVENTS)]) == before
    assert page.evaluate("window.relayed") == ["aurora_intent_selected"]


def test_consent_given_before_the_first_open_reaches_the_widget_when_it_opens(page, shop):
    page.goto(f"{shop}/consent")
    page.evaluate("AuroraConcierge.consent(true)")
    with page.expect_request(lambda r: r.url.endswith(EVENTS)) as sent:
        _open(page)
    assert sent.value.post_data_json["events"][0]["name"] == "aurora_widget_opened"
    page.wait_for_function("window.dataLayer.length === 1")


def test_without_data_consent_analytics_flow_as_before(page, shop):
    page.goto(shop + "/")
    with page.expect_request(lambda r: r.url.endswith(EVENTS)):
        _open(page)
    page.wait_for_function("window.dataLayer.length === 1")
