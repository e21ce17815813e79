"""The console's Search page in real Chromium: searches that miss, a synonym added from
one, a rule saved, axe and two widths."""

from __future__ import annotations

import time

import pytest
import requests
from playwright.sync_api import expect

from ..console import activity
from ..support.live import gunicorn
from .conftest import screenshot
from .test_accessibility import blocking_violations
from .test_console import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.live]

SEARCHES = (("zorblat", "en"), ("Zorblat", "en"), ("dress", "en"), ("frusque", "fr"),
            ("robe noire", "fr"), ("schwarzes Kleid", "de"))


@pytest.fixture(scope="module")
def console(tmp_path_factory):
    """A server with an admin token, after shoppers searched in three languages."""
    with gunicorn(tmp_path_factory.mktemp("console-search"),
                  CONCIERGE_ADMIN_TOKEN=activity.TOKEN) as live:
        live.search = lambda q, locale: requests.get(live.api("/products"), timeout=10, params={
            "q": q, "locale": locale}).json()
        for q, locale in SEARCHES:
            live.search(q, locale)
        time.sleep(1.5)  # the events are written within about a second
        yield live


def until(check, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "not applied within the window"
        time.sleep(0.1)


def test_a_synonym_added_from_a_query_that_found_nothing_makes_it_find(page, console):
    assert console.search("frusque", "fr")["total"] == 0
    sign_in(page, console.url)
    page.goto(f"{console.url}/console/search")
    page.get_by_role("link", name="French").click()
    missed = page.get_by_role("region", name="Searches that found nothing").first
    expect(missed).to_contain_text("frusque")
    missed.get_by_role("link", name="Add a synonym for frusque").click()
    expect(page.get_by_role("heading", name="Add a synonym")).to_be_visible()
    expect(page.get_by_label("Shoppers' language")).to_have_value("fr")
    expect(page.get_by_label("Words that mean “frusque”")).to_be_focused()
    page.keyboard.type("robe")
    page.get_by_role("button", name="Save synonyms").click()
    expect(page.get_by_role("status")).to_contain_text("Synonyms for French saved")
    until(lambda: console.search("frusque", "fr")["total"] > 0)
    assert console.search("frusque", "en")["total"] == 0


def test_a_rule_saved_in_the_console_pins_and_hides_in_search(page, console):
    page.expected_errors.append("status of 422")  # the refused form, shown again
    sign_in(page, console.url)
    page.goto(f"{console.url}/console/search#rule-form")
    page.get_by_label("Rule id", exact=True).fill("silk")
    page.get_by_label("Search words").fill("Silk dress")
    page.get_by_label("Pinned skus").fill("AUR-KN-0006\nNOPE-404")
    page.get_by_role("button", name="Save rule").click()
    expect(page.get_by_text("Line 2: No product or variant has the sku NOPE-404.")).to_be_visible()
    expect(page.get_by_label("Pinned skus")).to_have_attribute("aria-invalid", "true")
    page.get_by_label("Pinned skus").fill("AUR-KN-0006")
    page.get_by_label("Hidden skus").fill("AUR-DR-0011")
    page.get_by_role("button", name="Save rule").click()
    expect(page.get_by_role("status")).to_contain_text("Rule silk created")

    def steered() -> bool:
        skus = [p["sku"] for p in console.search("silk dress", "en")["items"]]
        return skus[0] == "AUR-KN-0006" and "AUR-DR-0011" not in skus
    until(steered)
    page.get_by_role("button", name="Delete silk").click()
    expect(page.get_by_role("status")).to_contain_text("Rule silk deleted")
    until(lambda: not steered())


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1280, "height": 900}},
                                             {"viewport": {"width": 375, "height": 740},
                                              "has_touch": True}],
                         ids=["1280", "375"])
def test_the_search_page_passes_axe_and_fits_the_width(page, console, context_options):
    width = context_options["viewport"]["width"]
    sign_in(page, console.url)
    for lang in ("", "fr"):
        page.goto(f"{console.url}/console/search" + (f"?lang={lang}" if lang else ""))
        expect(page.get_by_role("heading", name="Search", level=1)).to_be_visible()
        assert blocking_violations(page) == []
        overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
        assert overflow <= 0, overflow
        screenshot(page, f"console-search-{lang or 'all'}-{width}")
