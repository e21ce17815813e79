"""The demo on a phone and in French: the panel keeps the screen's width; /demo?locale=
shows the widget and the loader's own words in that language."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ..support.words import LAUNCHER
from .conftest import WIDGET_FRAME, open_shop, open_widget, screenshot, track

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


def loader_loads(page) -> list:
    """Return the list the page will note each request for the loader in."""
    loads: list = []
    page.on("request", lambda r: "aurora-embed.js" in r.url and loads.append(r.url))
    return loads


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1280, "height": 900},
                                              "locale": "en-US"}])
@pytest.mark.parametrize("locale", ["fr", "es"])
def test_a_tags_data_locale_alone_gives_the_loaders_words_in_that_language(
        page, server, context_options, locale):
    loads = loader_loads(page)
    page.route("**/widget?*", lambda route: route.abort())  # the note stays in view
    page.expected_errors.append("Failed to load resource")
    open_shop(page, server.url, f" data-locale='{locale}' data-position='left'")
    page.get_by_role("button", name=LAUNCHER[locale]).click()
    panel = page.locator("#aurora-concierge-panel")
    expect(panel).to_contain_text({"fr": "Chargement", "es": "Cargando"}[locale])
    # The copy keeps the tag's other attributes: the launcher stays on the left.
    assert page.get_by_role("button", name=LAUNCHER[locale]).bounding_box()["x"] < 100
    assert [url.rsplit("/", 1)[1] for url in loads] == [
        "aurora-embed.js", f"aurora-embed.js?locale={locale}"]


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1280, "height": 900},
                                              "locale": "en-US"}])
def test_a_data_locale_the_widget_does_not_speak_loads_the_loader_once_more_and_stops(
        page, server, context_options):
    loads = loader_loads(page)
    open_shop(page, server.url, " data-locale='it'")
    page.get_by_role("button", name="Ask Aurora").click()
    page.frame_locator(WIDGET_FRAME).locator("html[data-ready]").wait_for(state="attached")
    page.wait_for_timeout(300)  # a third load would have started by now
    assert len(loads) == 2
