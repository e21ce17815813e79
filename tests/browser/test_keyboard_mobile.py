"""Keyboard-only use and the mobile layout."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from concierge.schemas import INTENTS
from concierge.widget.views import INTENT_LABELS

from .conftest import WIDGET_FRAME, open_widget, relayed, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.live]


def widget_frame(page):
    """Return the widget's Frame (for evaluating in it)."""
    return page.frame(url=re.compile(r"/widget\?"))


def focused_name(page) -> str:
    """Describe the element focused inside the widget: its label or text."""
    return widget_frame(page).evaluate("""() => {
        const el = document.activeElement;
        const by = el.getAttribute('aria-labelledby');
        if (by) return document.getElementById(by).textContent.trim();
        return el.getAttribute('aria-label') || (el.labels && el.labels[0]
            ? el.labels[0].textContent.trim() : el.textContent.trim());
    }""")


def tab_to(page, name: str, limit: int = 40) -> None:
    """Press Tab until the widget's focused control is called `name`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if widget_frame(page) and focused_name(page) == name:
            return
    raise AssertionError(f"Tab never reached {name!r}")


def test_keyboard_alone_reaches_every_journey_and_completes_one(page, server):
    page.goto(f"{server.url}/demo")
    launcher = page.get_by_role("button", name="Ask Aurora")
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Ask Aurora":
            break
    expect(launcher).to_be_focused()
    page.keyboard.press("Enter")
    frame = page.frame_locator(WIDGET_FRAME)
    expect(frame.get_by_role("heading", name="How can we help?")).to_be_focused()

    reached = set()
    for _ in range(len(INTENTS) + 4):
        page.keyboard.press("Tab")
        reached.add(focused_name(page))
    assert {INTENT_LABELS[i][0] for i in INTENTS} <= reached
    tab_to(page, "Close concierge")

    tab_to(page, "Track an order")
    page.keyboard.press("Enter")
    region = frame.get_by_role("region", name="Track an order")
    expect(region.get_by_role("heading", name="Track an order")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.type("GG-10457")
    page.keyboard.press("Tab")
    page.keyboard.type("94110")
    page.keyboard.press("Enter")
    expect(region.get_by_role("heading", name="Order GG-10457: Delivered")).to_be_focused()
    relayed_name = page.evaluate("window.dataLayer.map(x => x.event)")
    assert "aurora_order_tracked" in relayed_name

    page.keyboard.press("Escape")
    expect(page.locator(WIDGET_FRAME)).to_be_hidden()
    expect(launcher).to_be_focused()


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 375, "height": 667},
                                              "has_touch": True}])
def test_mobile_widget_fills_the_screen_with_16px_inputs(page, server, context_options):
    frame = open_widget(page, server.url)
    box = page.locator(WIDGET_FRAME).bounding_box()
    assert box == {"x": 0, "y": 0, "width": 375, "height": 667}
    expect(page.get_by_role("button", name="Ask Aurora")).to_be_hidden()
    screenshot(page, "mobile-menu")
    frame.get_by_role("button", name="Find products").click()
    sizes = widget_frame(page).evaluate("""() => [...document.querySelectorAll(
        'input, select, textarea')].map(e => parseFloat(getComputedStyle(e).fontSize))""")
    assert sizes
    assert min(sizes) >= 16
    overflow = widget_frame(page).evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow == 0
    region = frame.get_by_role("region", name="Find products")
    region.get_by_role("button", name="Search").click()
    expect(region.get_by_role("status")).to_contain_text("Showing")
    screenshot(page, "mobile-products")

    frame.get_by_role("button", name="Close concierge").click()
    expect(page.get_by_role("button", name="Ask Aurora")).to_be_focused()
    relayed(page, "aurora_widget_closed")


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1280, "height": 900},
                                              "reduced_motion": "reduce"}])
def test_reduced_motion_turns_transitions_off(page, server, context_options):
    frame = open_widget(page, server.url)
    duration = frame.get_by_role("button", name="Find products").evaluate(
        "e => getComputedStyle(e).transitionDuration")
    assert duration == "0s"
