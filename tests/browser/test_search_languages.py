"""The widget's search box: type-ahead as an ARIA combobox, and searches that found nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.live]


def products(page, url: str, locale: str):
    """Open the widget page in a locale at its product search; return the search box."""
    page.goto(f"{url}/widget?locale={locale}")
    page.locator("html[data-ready]").wait_for(state="attached")
    page.locator('[data-intent="products"]').click()
    box = page.locator("#products-q")
    box.wait_for()
    return box


def test_typing_offers_suggestions_the_keyboard_picks_from(page, server):
    box = products(page, server.url, "fr")
    box.press_sequentially("cach", delay=50)
    listbox = page.get_by_role("listbox", name="Suggestions")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(listbox.get_by_role("option").first).to_contain_text("cachemire")
    box.press("ArrowDown")
    box.press("ArrowDown")
    chosen = listbox.get_by_role("option").nth(1)
    expect(chosen).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", chosen.get_attribute("id"))
    name = chosen.locator("span").first.inner_text()
    screenshot(page, "search-suggestions-fr")
    box.press("Enter")
    expect(box).to_have_value(name)
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#j-products [data-list] .card-title").first).to_have_text(name)


def test_escape_closes_the_suggestions_and_keeps_the_words(page, server):
    box = products(page, server.url, "en")
    box.press_sequentially("dre", delay=50)
    expect(page.get_by_role("listbox", name="Suggestions")).to_be_visible()
    box.press("Escape")
    expect(page.get_by_role("listbox", name="Suggestions")).to_be_hidden()
    expect(box).to_have_value("dre")


def test_a_late_suggestion_answer_never_reopens_a_list_escape_closed(page, server):
    box = products(page, server.url, "en")
    held, holding = [], []
    page.route("**/products/suggest*",
               lambda route: held.append(route) if holding else route.continue_())
    box.press_sequentially("coa", delay=20)
    expect(page.get_by_role("listbox", name="Suggestions")).to_be_visible()
    holding.append(True)  # the next answer is held back until let go
    box.press("t")
    while not held:  # the debounced request is made
        page.wait_for_timeout(50)
    box.press("Escape")
    for route in held:
        route.continue_()
    page.wait_for_timeout(500)  # the answer has reached the page
    expect(box).to_have_value("coat")
    expect(page.get_by_role("listbox", name="Suggestions")).to_be_hidden()


@pytest.mark.parametrize("target", ["Search", "Filters and sorting"])
def test_a_click_below_an_open_suggestion_list_lands_where_it_was_aimed(page, server, target):
    box = products(page, server.url, "en")
    box.press_sequentially("coat", delay=20)
    expect(page.get_by_role("listbox", name="Suggestions")).to_be_visible()
    if target == "Search":
        page.get_by_role("button", name="Search", exact=True).click()
        expect(page.locator("#j-products [data-list] .card-title").first).to_be_visible()
    else:
        page.get_by_text("Filters and sorting").click()
        expect(page.get_by_label("Sort by")).to_be_visible()
    expect(page.get_by_role("listbox", name="Suggestions")).to_be_hidden()


@pytest.mark.parametrize(("locale", "query", "said"), [
    ("en", "red dress under $100",
     "No products match “red dress under $100”. Here they are at other prices."),
    ("fr", "robe rouge à moins de 100 €",
     "Aucun article ne correspond à « robe rouge à moins de 100 € ». "
     "Les voici à d\u2019autres prix."),
])
def test_a_search_that_found_nothing_says_so_and_shows_what_it_relaxed(page, server, locale,
                                                                       query, said):
    box = products(page, server.url, locale)
    box.fill(query)
    box.press("Enter")
    expect(page.locator("#j-products [data-count]")).to_have_text(said)
    expect(page.locator("#j-products [data-list] .card").first).to_be_visible()
    expect(page.locator("#j-products [data-more]")).to_be_hidden()


def test_words_alone_that_found_nothing_never_blame_filters(page, server):
    box = products(page, server.url, "en")
    box.fill("zzyzx")
    box.press("Enter")
    expect(page.locator("#j-products [data-count]")).to_have_text(
        "No products match “zzyzx”. Try other words.")
