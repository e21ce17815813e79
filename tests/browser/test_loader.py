"""The loader: facade, public API, event relay, origin checks, queue stub, focus and Escape."""

from __future__ import annotations

import http.server
import re
import threading
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from concierge.widget.views import QUEUE_STUB

from ..support.live import gunicorn
from .conftest import WIDGET_FRAME, choose, open_widget, relayed, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.live]


def test_no_iframe_and_no_widget_request_before_first_open(page, server):
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(f"{server.url}/demo")
    launcher = page.get_by_role("button", name="Ask Aurora")
    expect(launcher).to_have_attribute("aria-expanded", "false")
    page.wait_for_timeout(300)
    assert page.locator("iframe").count() == 0
    assert not [u for u in requested if "/widget" in u or "/api/" in u]
    screenshot(page, "demo-closed")

    launcher.click()
    frame = page.locator(WIDGET_FRAME)
    expect(frame).to_have_attribute("src", re.compile(re.escape(f"{server.url}/widget?")))
    query = parse_qs(urlsplit(frame.get_attribute("src")).query)
    assert query == {"host": [server.url], "locale": ["en-US"], "position": ["right"]}
    expect(launcher).to_have_attribute("aria-expanded", "true")
    expect(page.frame_locator(WIDGET_FRAME).get_by_role("heading", name="How can we help?")
           ).to_be_focused()
    assert page.evaluate("document.activeElement.tagName") == "IFRAME"


def test_api_open_close_and_events_reach_callbacks_and_data_layer(page, server):
    page.goto(f"{server.url}/demo")
    page.evaluate("""() => {
        window.byName = []; window.all = [];
        AuroraConcierge.on('aurora_widget_opened', e => window.byName.push(e));
        AuroraConcierge.on('*', e => window.all.push(e.name));
    }""")
    page.evaluate("AuroraConcierge.open()")
    frame = page.frame_locator(WIDGET_FRAME)
    frame.get_by_role("heading", name="How can we help?").wait_for()
    page.wait_for_function("() => window.byName.length === 1")
    event = page.evaluate("window.byName[0]")
    assert event["name"] == "aurora_widget_opened"
    assert event["occurredAt"].endswith("Z")
    choose(frame, "Track an order")
    page.wait_for_function("() => window.all.includes('aurora_intent_selected')")
    page.evaluate("AuroraConcierge.close()")
    expect(page.locator(WIDGET_FRAME)).to_be_hidden()
    page.wait_for_function("() => window.all.includes('aurora_widget_closed')")
    layer = page.evaluate("window.dataLayer.map(x => x.event)")
    assert layer[:3] == ["aurora_widget_opened", "aurora_intent_selected", "aurora_widget_closed"]
    assert page.evaluate("window.dataLayer[1].aurora.props") == {"intent": "order_tracking"}
    # The demo's own log registered through the queue stub before the loader arrived.
    expect(page.get_by_role("list", name="Relayed events")).to_contain_text("aurora_widget_closed")


def test_messages_not_from_the_widget_frame_are_ignored(page, server):
    open_widget(page, server.url)
    page.evaluate("""() => window.postMessage({source: 'aurora-concierge', type: 'event',
        event: {name: 'aurora_forged', props: {}}}, '*')""")
    page.evaluate("""() => window.postMessage({source: 'aurora-concierge', type: 'close'}, '*')""")
    page.wait_for_timeout(300)
    assert "aurora_forged" not in page.evaluate("window.__events.map(e => e.name)")
    expect(page.locator(WIDGET_FRAME)).to_be_visible()


def test_close_button_and_escape_return_focus_to_the_launcher(page, server):
    frame = open_widget(page, server.url)
    launcher = page.get_by_role("button", name="Ask Aurora")
    frame.get_by_role("button", name="Close concierge").click()
    expect(page.locator(WIDGET_FRAME)).to_be_hidden()
    expect(launcher).to_be_focused()
    expect(launcher).to_have_attribute("aria-expanded", "false")
    relayed(page, "aurora_widget_closed")

    launcher.press("Enter")
    expect(frame.get_by_role("heading", name="How can we help?")).to_be_focused()
    page.keyboard.press("Escape")  # pressed inside the widget
    expect(page.locator(WIDGET_FRAME)).to_be_hidden()
    expect(launcher).to_be_focused()
    assert page.locator("iframe").count() == 1  # reopened, not rebuilt


class Storefront(http.server.BaseHTTPRequestHandler):
    """Another shop's page: the embed snippet (and, for /stub, the queue stub with calls)."""

    concierge = ""

    def do_GET(self):
        head, position = "", "left" if self.path == "/left" else "right"
        if self.path == "/stub":
            head = QUEUE_STUB.replace("</script>", """
              window.seen = [];
              AuroraConcierge.on('*', function (e) { window.seen.push(e.name); });
              AuroraConcierge.open();
            </script>""")
        body = (f"<!doctype html><html lang='en'><head><title>Shop</title>{head}</head><body>"
                f"<h1>Another shop</h1><script async src='{self.concierge}/static/"
                f"aurora-embed.js' data-position='{position}'></script></body></html>").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    """A storefront on another origin (127.0.0.1:<port>) and a concierge that allows only it."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Storefront)
    shop_url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        with gunicorn(tmp_path_factory.mktemp("shop"), CONCIERGE_ALLOWED_ORIGINS=shop_url) as live:
            Storefront.concierge = live.url
            yield shop_url
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_an_allowed_storefront_origin_embeds_the_widget_and_queued_calls_run(page, shop):
    page.goto(f"{shop}/stub")
    frame = page.frame_locator(WIDGET_FRAME)
    expect(frame.get_by_role("heading", name="How can we help?")).to_be_visible()
    page.wait_for_function("() => window.seen.includes('aurora_widget_opened')")
    choose(frame, "Find products")
    page.wait_for_function("() => window.seen.includes('aurora_intent_selected')")


def test_a_storefront_outside_the_allowed_origins_cannot_frame_the_widget(page, shop):
    page.expected_errors.append("frame-ancestors")
    rogue = shop.replace("127.0.0.1", "localhost")  # same server, another origin
    page.goto(f"{rogue}/")
    with page.expect_console_message(lambda m: "frame-ancestors" in m.text):
        page.get_by_role("button", name="Ask Aurora").click()
    expect(page.frame_locator(WIDGET_FRAME).get_by_role("heading", name="How can we help?")
           ).to_have_count(0)


def test_data_position_left_puts_the_launcher_and_panel_on_the_left(page, shop):
    page.goto(f"{shop}/left")
    launcher = page.get_by_role("button", name="Ask Aurora")
    launcher.click()
    page.frame_locator(WIDGET_FRAME).get_by_role("heading", name="How can we help?").wait_for()
    assert launcher.bounding_box()["x"] < 100
    assert page.locator(WIDGET_FRAME).bounding_box()["x"] < 100
