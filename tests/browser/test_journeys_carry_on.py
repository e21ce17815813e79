"""Journeys that carry on across the storefront's pages, and end on "Was this helpful?"."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from .conftest import WIDGET_FRAME, choose, open_widget
from .conftest import track as track_order

pytestmark = [pytest.mark.browser, pytest.mark.live]
ORDER, FACTOR = "GG-10457", "94110"


def next_page(page, url: str):
    """Go to another storefront page (a new widget frame) and open the widget if it is not open."""
    page.goto(f"{url}/demo")
    launcher = page.get_by_role("button", name="Ask Aurora")
    launcher.wait_for()
    if launcher.get_attribute("aria-expanded") != "true":
        launcher.click()
    return page.frame_locator(WIDGET_FRAME)


def frame_storage(page) -> str:
    """Everything the widget frame keeps in its session and local storage, as text."""
    frame = page.frame(url=re.compile(r"/widget\?"))
    return frame.evaluate("() => JSON.stringify([sessionStorage, localStorage])")


def track(frame, number: str = ORDER, factor: str = FACTOR):
    region = track_order(frame, number, factor)
    expect(region.get_by_role("heading", name=re.compile(f"Order {number}"))).to_be_visible()
    return region


def test_the_tracked_order_is_still_on_screen_on_the_next_page(page, server):
    frame = open_widget(page, server.url)
    timeline = track(frame).get_by_role("list").first.inner_text()

    frame = next_page(page, server.url)
    region = frame.get_by_role("region", name="Track an order")
    expect(region.get_by_role("heading", name=re.compile(f"Order {ORDER}: "))).to_be_visible()
    assert region.get_by_role("list").first.inner_text() == timeline
    expect(region.get_by_label("Order number")).to_have_value(ORDER)
    expect(frame.get_by_role("heading", name="How can we help?")).to_be_hidden()
    # The postal code proves who may see the order: it is never kept.
    assert FACTOR not in frame_storage(page)
    expect(region.get_by_label("Email or postal code")).to_have_value("")


def test_a_search_and_its_filters_carry_on_to_the_next_page(page, server):
    frame = open_widget(page, server.url)
    region = choose(frame, "Find products")
    region.get_by_label("Search").fill("coat")
    region.get_by_text("Filters and sorting").click()
    region.get_by_label("Sort by").select_option("price_asc")
    region.get_by_label("In stock only").check()
    region.get_by_role("button", name="Search").click()
    expect(region.get_by_text(re.compile(r"^Showing \d+ of \d+ products"))).to_be_visible()
    names = region.get_by_role("list", name="Products").get_by_role("heading").all_inner_texts()
    assert names

    frame = next_page(page, server.url)
    region = frame.get_by_role("region", name="Find products")
    expect(region.get_by_label("Search")).to_have_value("coat")
    expect(region.get_by_label("Sort by")).to_have_value("price_asc")
    expect(region.get_by_label("In stock only")).to_be_checked()
    cards = region.get_by_role("list", name="Products").get_by_role("heading")
    expect(cards).to_have_count(len(names))
    assert cards.all_inner_texts() == names


@pytest.mark.parametrize("leave", ["Menu", "Close concierge"])
def test_back_to_the_menu_or_closing_starts_the_next_page_at_the_menu(page, server, leave):
    frame = open_widget(page, server.url)
    track(frame)
    frame.get_by_role("button", name=leave).click()

    frame = next_page(page, server.url)
    expect(frame.get_by_role("heading", name="How can we help?")).to_be_visible()
    expect(frame.get_by_role("region", name="Track an order")).to_be_hidden()
    assert ORDER not in frame_storage(page)


def test_a_half_written_stylist_request_keeps_its_words_but_not_the_contact(page, server):
    frame = open_widget(page, server.url)
    region = choose(frame, "Book a stylist")
    region.get_by_role("textbox", name="Email").fill("draft.keeper@example.com")
    region.get_by_label("Topic").select_option("occasion")
    region.get_by_label("How can we help?").fill("A dress for a June wedding")

    frame = next_page(page, server.url)
    region = frame.get_by_role("region", name="Book a stylist")
    expect(region.get_by_label("How can we help?")).to_have_value("A dress for a June wedding")
    expect(region.get_by_label("Topic")).to_have_value("occasion")
    expect(region.get_by_role("textbox", name="Email")).to_have_value("")
    assert "draft.keeper" not in frame_storage(page)


def helpful(region):
    return region.get_by_role("group", name="Was this helpful?")


def test_a_finished_journey_asks_once_and_not_again_after_an_answer(page, server):
    frame = open_widget(page, server.url)
    region = track(frame)
    question = helpful(region)
    expect(question).to_be_visible()
    with page.expect_response("**/api/concierge/csat") as answered:
        question.get_by_role("button", name="Yes").click()
    assert answered.value.status == 201
    assert json.loads(answered.value.request.post_data) == {
        "rating": 5, "intent": "order_tracking", "reference": ORDER}
    expect(question.get_by_text("Thanks for telling us.")).to_be_focused()
    expect(question.get_by_role("button", name="Yes")).to_be_hidden()

    # Another lookup, here and on the next page: answered once, never asked again.
    track(frame, "GG-10212", "60614")
    expect(helpful(region)).to_have_count(0)
    frame = next_page(page, server.url)
    region = track(frame, "GG-10212", "60614")
    expect(helpful(region)).to_have_count(0)


def test_not_helpful_tells_the_team_and_leads_to_a_person(page, server):
    frame = open_widget(page, server.url)
    question = helpful(track(frame))
    with page.expect_response("**/api/concierge/csat") as answered:
        question.get_by_role("button", name="No").click()
    assert answered.value.status == 201
    assert answered.value.json()["agentNotified"] is True
    person = question.get_by_role("button", name="Talk to a person")
    expect(person).to_be_focused()
    person.click()
    human = frame.get_by_role("region", name="Talk to a person")
    expect(human.get_by_role("link", name="Contact customer care")).to_be_visible()
    # The way to a person is a conversation with the store's team, its reply time stated.
    expect(human.get_by_label("Your message")).to_be_visible()
    expect(human.get_by_text("We reply within one working day.")).to_be_visible()


def test_a_question_left_unanswered_is_asked_again_at_the_next_finished_journey(page, server):
    frame = open_widget(page, server.url)
    expect(helpful(track(frame))).to_be_visible()
    region = track(frame, "GG-10212", "60614")
    expect(helpful(region)).to_have_count(1)


def test_a_rating_from_the_menu_counts_as_the_answer(page, server):
    frame = open_widget(page, server.url)
    region = choose(frame, "Rate this help")
    region.get_by_role("radio", name="4 \u2013 Good").check()
    region.get_by_role("button", name="Send rating").click()
    expect(region.get_by_role("heading", name="Thank you for your feedback")).to_be_visible()
    frame.get_by_role("button", name="Menu").click()
    expect(helpful(track(frame))).to_have_count(0)
