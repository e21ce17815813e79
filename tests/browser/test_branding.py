"""Branding in a real browser: the colour where shoppers see it, readable; the open state kept."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from playwright.sync_api import expect

from concierge.widget import branding

from .conftest import WIDGET_FRAME, launcher, open_shop, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.live]
PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
# What getComputedStyle gives for the launcher, the header and a primary button.
STYLES = "el => { const s = getComputedStyle(el); return [s.backgroundColor, s.color]; }"


def hex_of(rgb: str) -> str:
    """Turn a computed rgb()/rgba() colour into #rrggbb (an opaque one)."""
    parts = [float(x) for x in re.findall(r"[\d.]+", rgb)]
    assert len(parts) == 3 or parts[3] == 1, rgb
    return "#" + "".join(f"{round(x):02x}" for x in parts[:3])


def rgb(hex_colour: str) -> str:
    """Write #rrggbb as getComputedStyle does."""
    return "rgb({}, {}, {})".format(*(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)))


def rendered(locator) -> tuple[str, str]:
    """Return an element's rendered background and text colours as #rrggbb."""
    background, text = locator.evaluate(STYLES)
    return hex_of(background), hex_of(text)


def open_branded(page, url: str, **attributes: str):
    """Load the demo storefront with data- attributes, open the widget, return its frame."""
    query = "&".join(f"{k}={quote(v)}" for k, v in attributes.items())
    page.goto(f"{url}/demo?{query}")
    page.get_by_role("button", name=attributes.get("label", "Ask Aurora")).click()
    frame = page.frame_locator(WIDGET_FRAME)
    frame.get_by_role("heading", name=attributes.get("greeting", "How can we help?")).wait_for()
    return frame


@pytest.mark.parametrize("context_options", [DESKTOP, PHONE], ids=["1280", "375"])
@pytest.mark.parametrize("colour", ["#ffeb3b", "#1a237e", "#e91e63"],
                         ids=["light", "dark", "mid"])
def test_launcher_header_and_primary_button_show_the_colour_with_aa_text(page, server, colour,
                                                                        context_options):
    width = context_options["viewport"]["width"]
    page.goto(f"{server.url}/demo?color={quote(colour)}")
    launcher = page.get_by_role("button", name="Ask Aurora")
    background, text = rendered(launcher)
    assert background == colour
    assert branding.contrast(background, text) >= branding.AA
    screenshot(page, f"brand-{colour[1:]}-{width}-closed")

    launcher.click()
    frame = page.frame_locator(WIDGET_FRAME)
    frame.get_by_role("heading", name="How can we help?").wait_for()
    # The heading can show before the stylesheet has applied on a busy machine.
    expect(frame.locator("header.top")).to_have_css("background-color", rgb(colour))
    header = rendered(frame.locator("header.top"))
    title = hex_of(frame.locator("header.top h1").evaluate("el => getComputedStyle(el).color"))
    seen = {"launcher": (background, text), "header": header, "header title": (header[0], title),
            "primary button": rendered(frame.get_by_role("button", name="Go"))}
    for part, (back, fore) in seen.items():
        assert back == colour, part
        assert branding.contrast(back, fore) >= branding.AA, (part, back, fore)
    # The colour used as text on the widget's white page (a secondary button) reads too.
    back, fore = rendered(frame.get_by_role("button", name="Talk to a person"))
    assert branding.contrast(back, fore) >= branding.AA
    screenshot(page, f"brand-{colour[1:]}-{width}-open")


def test_label_position_greeting_and_logo_come_from_the_data_attributes(page, server):
    frame = open_branded(page, server.url, label="Need a hand?", position="left",
                         greeting="Welcome to Goods & Garments",
                         logo="/static/img/products/bags.svg")
    launcher = page.get_by_role("button", name="Need a hand?")
    box = launcher.bounding_box()
    assert box["x"] < 100  # bottom left
    panel = page.locator("#aurora-concierge-panel").bounding_box()
    assert panel["x"] < 100
    logo = frame.locator("header.top img.logo")
    expect(logo).to_be_visible()
    assert logo.evaluate("img => img.complete && img.naturalWidth > 0")
    expect(frame.locator("#menu-title")).to_have_text("Welcome to Goods & Garments")
    screenshot(page, "brand-attributes-1280")


def test_invalid_data_attributes_fall_back_to_the_defaults(page, server):
    open_shop(page, server.url,
              " data-color='tomato' data-logo='javascript:alert(1)' data-position='top'")
    launcher = page.get_by_role("button", name="Ask Aurora")
    assert rendered(launcher) == ("#3b1f6e", "#ffffff")
    assert launcher.bounding_box()["x"] > 1000  # bottom right
    launcher.click()
    frame = page.frame_locator(WIDGET_FRAME)
    frame.get_by_role("heading", name="How can we help?").wait_for()
    expect(frame.locator("header.top")).to_have_css("background-color", rgb("#3b1f6e"))
    assert rendered(frame.locator("header.top")) == ("#3b1f6e", "#ffffff")
    assert frame.locator("img.logo").count() == 0


def test_a_bare_widget_link_shows_no_greeting_or_logo_of_its_own(page, server):
    page.goto(f"{server.url}/widget?greeting={quote('Your account is locked. Call us')}"
              f"&logo={quote('/static/img/products/bags.svg')}")
    expect(page.locator("#menu-title")).to_have_text("How can we help?")
    assert page.locator("img.logo").count() == 0


def test_a_logo_from_an_origin_the_store_did_not_configure_is_not_shown(page, server):
    open_shop(page, server.url, " data-greeting='Hello from the shop'"
                                " data-logo='https://evil.test/x.png'")
    page.get_by_role("button", name="Ask Aurora").click()
    frame = page.frame_locator(WIDGET_FRAME)
    expect(frame.locator("#menu-title")).to_have_text("Hello from the shop")
    assert frame.locator("img.logo").count() == 0


@pytest.mark.parametrize(("context_options", "attribute", "expected"), [
    ({**DESKTOP, "locale": "de-DE"}, "", "de-DE"),
    ({**DESKTOP, "locale": "de-DE"}, " data-locale='fr'", "fr"),
], ids=["browser", "data-locale"])
def test_the_widget_gets_the_locale_from_data_locale_else_the_browser(page, server, attribute,
                                                                     expected):
    open_shop(page, server.url, attribute)
    launcher(page, expected[:2]).click()  # the loader's words follow data-locale too
    src = page.locator(WIDGET_FRAME).get_attribute("src")
    query = parse_qs(urlsplit(src).query)
    assert query["locale"] == [expected]
    assert query["host"] == [server.url]


def test_an_open_widget_stays_open_on_the_next_storefront_page_until_the_shopper_closes_it(
        page, server):
    page.goto(f"{server.url}/demo")
    page.get_by_role("button", name="Ask Aurora").click()
    page.frame_locator(WIDGET_FRAME).get_by_role("heading", name="How can we help?").wait_for()

    page.get_by_role("link", name="Aurora Goods & Garments").click()  # another page view
    page.wait_for_load_state()
    frame = page.frame_locator(WIDGET_FRAME)
    expect(frame.get_by_role("heading", name="How can we help?")).to_be_visible()
    expect(page.get_by_role("button", name="Ask Aurora")).to_have_attribute("aria-expanded", "true")

    frame.get_by_role("button", name="Close concierge").click()
    expect(page.locator(WIDGET_FRAME)).to_be_hidden()
    page.reload()
    launcher = page.get_by_role("button", name="Ask Aurora")
    expect(launcher).to_have_attribute("aria-expanded", "false")
    page.wait_for_timeout(300)
    assert page.locator("iframe").count() == 0  # closed stays closed: not even built


def test_a_widget_never_opened_is_not_opened_by_a_page_change(page, server):
    page.goto(f"{server.url}/demo")
    page.get_by_role("link", name="Aurora Goods & Garments").click()
    page.wait_for_load_state()
    expect(page.get_by_role("button", name="Ask Aurora")).to_have_attribute("aria-expanded",
                                                                           "false")
    page.wait_for_timeout(300)
    assert page.locator("iframe").count() == 0
