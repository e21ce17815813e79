"""axe-core audits (the copy bundled with axe-playwright-python; nothing is fetched)."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from concierge.schemas import INTENTS
from concierge.widget.views import INTENT_LABELS

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.live]
BLOCKING = {"serious", "critical"}


def blocking_violations(page) -> list[str]:
    """Run axe on the page; return the serious and critical violations, described."""
    results = Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}"
            for v in results.response["violations"] if v["impact"] in BLOCKING]


def test_demo_storefront_with_the_launcher_has_no_serious_violation(page, server):
    foreign: list[str] = []
    page.on("request", lambda r: r.url.startswith(server.url) or foreign.append(r.url))
    page.goto(f"{server.url}/demo")
    page.get_by_role("button", name="Ask Aurora").wait_for()
    assert blocking_violations(page) == []
    assert foreign == []


def test_every_widget_view_has_no_serious_violation(page, server):
    page.goto(f"{server.url}/widget")
    expect(page.get_by_role("heading", name="How can we help?")).to_be_visible()
    found = {"menu": blocking_violations(page)}
    for intent in INTENTS:
        label = INTENT_LABELS[intent][0]
        page.get_by_role("button", name="Menu").click() if intent != INTENTS[0] else None
        page.get_by_role("button", name=label).click()
        expect(page.get_by_role("heading", name=label, level=2)).to_be_focused()
        page.wait_for_timeout(300)  # journeys that load data on open (capsules, shortlist)
        found[intent] = blocking_violations(page)
    assert {k: v for k, v in found.items() if v} == {}


def test_results_and_errors_have_no_serious_violation(page, server):
    page.goto(f"{server.url}/widget")
    page.get_by_role("button", name="Track an order").click()
    region = page.get_by_role("region", name="Track an order")
    region.get_by_label("Order number").fill("GG-11982")
    region.get_by_label("Email or postal code").fill("nobody@example.com")
    region.get_by_role("button", name="Track order").click()
    expect(region.get_by_role("alert")).not_to_be_empty()
    assert blocking_violations(page) == []
    region.get_by_label("Email or postal code").fill("10001")
    region.get_by_role("button", name="Track order").click()
    expect(region.get_by_role("heading", name="Order GG-11982: Shipped")).to_be_visible()
    assert blocking_violations(page) == []
    screenshot(page, "widget-tracking-direct")
