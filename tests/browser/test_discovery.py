"""The widget's product search: questions go through the server's parser, chips, facet counts."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import choose, open_widget, screenshot
from .test_accessibility import blocking_violations

pytestmark = [pytest.mark.browser, pytest.mark.live]


def ask(frame, text: str):
    frame.get_by_label("Ask Aurora").fill(text)
    frame.get_by_role("button", name="Go").click()
    return frame.get_by_role("region", name="Find products")


def total(region) -> int:
    status = region.get_by_role("status")
    expect(status).to_contain_text(re.compile(r"Showing \d+ of \d+|No products"))
    found = re.search(r"of (\d+)", status.inner_text())
    return int(found.group(1)) if found else 0


def test_a_question_shows_what_was_understood_as_removable_chips(page, server):
    frame = open_widget(page, server.url)
    region = ask(frame, "Hi, do you have red dresses under $200?")
    search = region.get_by_label("Search")
    expect(search).to_have_value("red dresses under $200")
    chips = region.get_by_role("list", name="Understood as")
    expect(chips.get_by_role("button")).to_have_text(
        [f"{label} \u00d7" for label in ("Colour: red (burgundy, rust)", "Category: dresses",
                                          "Up to $200")])
    narrowed = total(region)
    assert narrowed > 0
    cards = region.get_by_role("list", name="Products").get_by_role("listitem")
    for text in cards.all_inner_texts():
        assert float(re.search(r"\$([\d,.]+)", text).group(1).replace(",", "")) <= 200
    screenshot(page, "discovery-chips")

    chips.get_by_role("button", name="Remove Up to $200").press("Enter")  # by keyboard
    expect(search).to_have_value("red dresses")
    expect(search).to_be_focused()
    expect(chips.get_by_role("button")).to_have_count(2)
    expect(region.get_by_role("status")).not_to_contain_text(f"of {narrowed} ")
    assert total(region) > narrowed


def test_filters_show_facet_counts_of_the_whole_result(page, server):
    frame = open_widget(page, server.url)
    region = choose(frame, "Find products")
    region.get_by_label("Search").fill("silk")
    region.get_by_role("button", name="Search").click()
    found = total(region)
    region.get_by_text("Filters and sorting").click()
    labels = region.get_by_label("Category").locator("option").evaluate_all(
        "options => options.filter(o => o.value).map(o => o.label)")
    counts = [int(re.search(r"\((\d+)\)$", label).group(1)) for label in labels]
    assert sum(counts) == found
    assert any(label.startswith("dresses (") for label in labels)


def test_a_typo_is_searched_corrected_and_said(page, server):
    frame = open_widget(page, server.url)
    region = ask(frame, "cardign")
    chip = region.get_by_role("button", name="Remove \u201ccardigan\u201d")
    expect(chip).to_have_attribute("title", "You typed cardign")
    assert total(region) >= 4
    names = region.get_by_role("list", name="Products").get_by_role("heading")
    for name in names.all_inner_texts():
        assert "Cardigan" in name


def test_chips_and_counted_filters_have_no_serious_violation(page, server):
    page.goto(f"{server.url}/widget")
    region = ask(page, "navy coat in stock")
    expect(region.get_by_role("list", name="Understood as").get_by_role("button")).to_have_count(3)
    region.get_by_text("Filters and sorting").click()
    assert blocking_violations(page) == []
