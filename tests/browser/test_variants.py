"""Sizes on product cards: sold-out sizes said in words, in the shopper's language, on a
phone and a desktop; each colour's sizes behind a disclosure; no blocking axe finding."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .conftest import pleated_midi_dress_card, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.live]
PHONE, DESKTOP = {"width": 375, "height": 740}, {"width": 1280, "height": 900}
# The seed's Pleated Midi Dress: denim blue XS (1), olive M (1), every other variant sold out.
WORDS = {
    "en": {"sizes": "Sizes: XS (only a few left), S (sold out), M (only a few left), "
                    "L (sold out)",
           "details": "Sizes and colours",
           "colours": ["denim blue: XS (only a few left), S (sold out), M (sold out), "
                       "L (sold out)",
                       "olive: XS (sold out), S (sold out), M (only a few left), L (sold out)"]},
    "fr": {"sizes": "Tailles : XS (stock limité), S (épuisé), "
                    "M (stock limité), L (épuisé)",
           "details": "Tailles et couleurs",
           "colours": ["denim blue: XS (stock limité), S (épuisé), M (épuisé), "
                       "L (épuisé)",
                       "olive: XS (épuisé), S (épuisé), M (stock limité), "
                       "L (épuisé)"]},
}


@pytest.fixture
def context_options(request) -> dict:
    """The viewport the test is parametrized with."""
    return {"viewport": request.param}


@pytest.mark.parametrize(("context_options", "locale"), [
    (DESKTOP, "en"), (PHONE, "en"), (DESKTOP, "fr"), (PHONE, "fr")],
    indirect=["context_options"], ids=["en-1280", "en-375", "fr-1280", "fr-375"])
def test_a_cards_sizes_say_which_are_sold_out_in_words(page, server, locale):
    words = WORDS[locale]
    page.goto(f"{server.url}/widget?locale={locale}")
    page.locator("html[data-ready]").wait_for(state="attached")
    page.locator('[data-intent="products"]').click()
    form = page.locator("#products-form")
    form.locator('input[name="q"]').fill("pleated midi dress")
    form.locator('button[type="submit"]').click()
    card = page.locator("#j-products .card").filter(
        has=page.get_by_role("heading", name="Pleated Midi Dress", exact=True))
    expect(card).to_have_count(1)
    expect(card.locator(".sizes")).to_have_text(words["sizes"])
    sold_out = card.locator(".sizes .size.out .size-name").first
    assert sold_out.evaluate("n => getComputedStyle(n).textDecorationLine") == "line-through"
    card.get_by_text(words["details"], exact=True).click()
    expect(card.locator("details.variants p")).to_have_text(words["colours"])
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"]  # nothing wider than the phone
    screenshot(page, f"variants-{locale}-{page.viewport_size['width']}")
    violations = [v for v in Axe().run(page).response["violations"]
                  if v["impact"] in ("serious", "critical")]
    assert not violations, [(v["id"], [n["target"] for n in v["nodes"]][:3])
                            for v in violations]


def test_a_screen_reader_hears_the_words_not_a_style(page, server):
    card = pleated_midi_dress_card(page, server.url, "en")
    snapshot = card.aria_snapshot()
    assert re.search(r"S \(sold out\)", snapshot), snapshot
    assert "Sizes and colours" in snapshot


test_a_screen_reader_hears_the_words_not_a_style = pytest.mark.parametrize(
    "context_options", [DESKTOP], indirect=True)(test_a_screen_reader_hears_the_words_not_a_style)
