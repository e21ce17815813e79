"""Playwright fixtures: Debian's Chromium (never a downloaded browser) against a live server."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from ..support.live import gunicorn
from ..support.words import LAUNCHER

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
WIDGET_FRAME = 'iframe[title="Aurora Concierge"]'


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"needs Debian's Chromium at {CHROMIUM} (make browser)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def context_options() -> dict:
    """Options for the browser context; override per module (viewport, motion...)."""
    return {"viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def page(browser, context_options, request):
    """A fresh page whose console errors and foreign-origin requests fail the test."""
    context = browser.new_context(**context_options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems: list[str] = []
    page.on("console", lambda m: _console(m, problems))
    page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    page.expected_errors = []  # regexes a test may add for errors it provokes
    yield page
    context.close()
    unexpected = [p for p in problems if not any(re.search(e, p) for e in page.expected_errors)]
    assert not unexpected, unexpected


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """A private gunicorn server, so journeys here never race other suites for seed stock."""
    # The tests fill capsules from this one address: the caps per address are lifted here
    # (tests/capsules/test_hold_caps.py tests them).
    with gunicorn(tmp_path_factory.mktemp("browser"), HOLDS_PER_CLIENT="1000",
                  HOLDS_PER_SESSION="1000") as live:
        yield live


def _console(message, problems: list[str]) -> None:
    """Collect console errors, except the browser's own note on an API error answer."""
    if message.type != "error":
        return
    url = (message.location or {}).get("url", "")
    if message.text.startswith("Failed to load resource") and "/api/concierge/" in url:
        return  # the widget shows these; the tests check what it shows
    problems.append(f"console: {message.text} ({url})")


def screenshot(page, name: str) -> Path:
    """Save a screenshot under tests/browser/screenshots/ (git-ignored) and return its path."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path




def launcher(page, language: str | None = None):
    """Return the storefront's launcher button, named in the browser's (or this) language."""
    language = language or page.evaluate("navigator.language").split("-")[0]
    return page.get_by_role("button", name=LAUNCHER.get(language, LAUNCHER["en"]), exact=True)


def open_shop(page, url: str, attributes: str) -> None:
    """Visit a bare storefront page whose loader tag carries these attributes as written."""
    page.route(f"{url}/shop", lambda route: route.fulfill(
        content_type="text/html", body=(
            "<!doctype html><html lang='en'><head><title>Shop</title></head><body><h1>Shop</h1>"
            f"<script async src='{url}/static/aurora-embed.js'{attributes}></script>"
            "</body></html>")))
    page.goto(f"{url}/shop")


def pleated_midi_dress_card(page, url: str, locale: str):
    """Search the bare widget for the pleated midi dress (sizes sold out); return its card."""
    page.goto(f"{url}/widget?locale={locale}")
    page.locator("html[data-ready]").wait_for(state="attached")
    page.locator('[data-intent="products"]').click()
    page.locator('#products-form input[name="q"]').fill("pleated midi dress")
    page.locator('#products-form button[type="submit"]').click()
    return page.locator("#j-products .card").filter(
        has=page.get_by_role("heading", name="Pleated Midi Dress", exact=True))


def open_widget(page, url: str):
    """Visit the demo storefront anew, open the concierge from its launcher, return the frame."""
    if page.url.startswith(url):
        # A new visit, not the next page of this one: the tab's session (where the
        # loader keeps the widget open across pages) is forgotten, as in a new tab.
        page.evaluate("sessionStorage.clear()")
    page.goto(f"{url}/demo")
    page.evaluate("window.__events = []; AuroraConcierge.on('*', e => window.__events.push(e))")
    page.get_by_role("button", name="Ask Aurora").click()
    frame = page.frame_locator(WIDGET_FRAME)
    frame.get_by_role("heading", name="How can we help?").wait_for()
    # The menu is in the page before the script has run: a click then would do nothing.
    frame.locator("html[data-ready]").wait_for(state="attached")
    return frame


def choose(frame, journey: str):
    """Pick a journey from the intent menu by its visible name; return its region."""
    frame.get_by_role("button", name=journey).click()
    return frame.get_by_role("region", name=journey)


def track(frame, number: str, factor: str):
    """Look an order up in the tracking journey; return its region."""
    region = frame.get_by_role("region", name="Track an order")
    if not region.is_visible():
        region = choose(frame, "Track an order")
    region.get_by_label("Order number").fill(number)
    region.get_by_label("Email or postal code").fill(factor)
    region.get_by_role("button", name="Track order").click()
    return region


def find_order_to_return(frame, number: str, factor: str):
    """Find an order in the returns journey; return its region."""
    region = choose(frame, "Start a return")
    region.get_by_label("Order number").fill(number)
    region.get_by_label("Email or postal code").fill(factor)
    region.get_by_role("button", name="Find my order").click()
    return region


def relayed(page, name: str, timeout: float = 5_000) -> dict:
    """Wait until the host page received an event by that name; return it."""
    page.wait_for_function("n => (window.__events || []).some(e => e.name === n)", arg=name,
                           timeout=timeout)
    return page.evaluate("n => window.__events.filter(e => e.name === n).pop()", name)
