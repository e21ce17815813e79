"""The demo on a phone and in French: the panel keeps the screen's width; /demo?locale=
shows the widget and the loader's own words in that language."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ..support.words import LAUNCHER
from .conftest import WIDGET_FRAME, open_widget, screenshot, track

PHONE = {"viewport": {"width": 375, "height": 667}, "is_mobile": True, "has_touch": True}


@pytest.mark.parametrize("context_options", [PHONE])
def test_the_panel_stays_375_px_wide_after_a_tracking_result(page, server, context_options):
    frame = open_widget(page, server.url)
    region = track(frame, "GG-11982", "avery.stone@example.com")
    expect(region.get_by_role("heading", name="Order GG-11982", exact=False).first).to_be_visible()
    page.wait_for_function("document.querySelectorAll('#event-log li').length > 2")
    box = page.locator("#aurora-concierge-panel").bounding_box()
    assert (box["x"], box["y"], box["width"], box["height"]) == (0, 0, 375, 667)
    # The relayed events' long lines wrap: the demo page is no wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") == 375
    screenshot(page, "demo-tracked-375")


@pytest.mark.parametrize("context_options", [PHONE])
def test_the_panel_keeps_the_screens_width_on_a_page_wider_than_the_phone(
        page, server, context_options):
    page.goto(f"{server.url}/demo")
    page.evaluate("""() => { const wide = document.createElement('p');
        wide.style.width = '480px'; wide.textContent = 'x'.repeat(80);
        document.body.append(wide); }""")
    page.evaluate("AuroraConcierge.open()")  # the launcher sits at the wider page's edge
    page.frame_locator(WIDGET_FRAME).locator("html[data-ready]").wait_for(state="attached")
    assert page.locator("#aurora-concierge-panel").bounding_box()["width"] == 375


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1280, "height": 900},
                                              "locale": "en-US"}])
def test_demo_in_french_shows_the_widget_and_the_loaders_words_in_french(
        page, server, context_options):
    page.goto(f"{server.url}/demo?locale=fr")
    assert 'data-locale="fr"' in page.locator("#snippet").inner_text()
    page.get_by_role("button", name=LAUNCHER["fr"]).click()  # the loader speaks French too
    frame = page.frame_locator(WIDGET_FRAME)
    expect(frame.get_by_role("heading", name="Comment pouvons-nous vous aider ?")).to_be_visible()
    expect(frame.locator("html")).to_have_attribute("lang", "fr")


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1280, "height": 900},
                                              "locale": "en-US"}])
def test_the_loaders_note_speaks_the_tags_language_while_the_widget_loads(
        page, server, context_options):
    page.route("**/widget?*", lambda route: route.abort())  # the widget never comes
    page.expected_errors.append("Failed to load resource")
    page.goto(f"{server.url}/demo?locale=de")
    page.get_by_role("button", name=LAUNCHER["de"]).click()
    panel = page.locator("#aurora-concierge-panel")
    expect(panel).to_contain_text("Wird geladen")
    expect(panel).not_to_contain_text("Loading")
