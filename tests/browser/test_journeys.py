"""Each of the nine journeys end to end through the widget UI on the demo storefront."""

from __future__ import annotations

import io
import re
import secrets

import pytest
import requests
from playwright.sync_api import expect

from .conftest import choose, find_order_to_return, open_widget, relayed, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.live]


def ask(frame, text: str, lands_on: str):
    """Type in the free-text box; return the journey region it should open."""
    frame.get_by_label("Ask Aurora").fill(text)
    frame.get_by_role("button", name="Go").click()
    return frame.get_by_role("region", name=lands_on)


def fresh_email(prefix: str) -> str:
    """Return an email no other test uses."""
    return f"{prefix}.{secrets.token_hex(4)}@example.com"


def test_products_search_with_filters_and_add_to_shortlist(page, server):
    frame = open_widget(page, server.url)
    region = choose(frame, "Find products")
    region.get_by_label("Search").fill("dress")
    region.get_by_text("Filters and sorting").click()
    region.get_by_label("Category").select_option("dresses")
    region.get_by_label("Max price (USD)").fill("150")
    region.get_by_label("In stock only").check()
    region.get_by_role("button", name="Search").click()
    expect(region.get_by_role("status")).to_contain_text(re.compile(r"Showing \d+ of \d+"))
    cards = region.get_by_role("list", name="Products").get_by_role("listitem")
    expect(cards.first).to_be_visible()
    for text in cards.all_inner_texts():
        price = float(re.search(r"\$([\d,.]+)", text).group(1).replace(",", ""))
        assert price <= 150
        assert "Out of stock" not in text
    searched = relayed(page, "aurora_products_searched")
    assert searched["props"]["resultCount"] >= cards.count()
    first_page = cards.count()
    if searched["props"]["resultCount"] > first_page:
        region.get_by_role("button", name="Show more results").click()
        expect(cards).not_to_have_count(first_page)
        expect(region.get_by_role("status")).to_contain_text(f"Showing {cards.count()} of")

    name = cards.first.get_by_role("heading").inner_text()
    save = cards.first.get_by_role("button", name=f"Shortlist {name}")
    save.click()
    expect(save).to_have_attribute("aria-pressed", "true")
    assert relayed(page, "aurora_shortlist_saved")["props"] == {"itemCount": 1}
    expect(frame.get_by_role("status").first).to_contain_text(f"{name} added")
    screenshot(page, "journey-products")


def test_free_text_about_a_product_searches_for_its_words(page, server):
    frame = open_widget(page, server.url)
    region = ask(frame, "Hi! Do you have a wool coat?", lands_on="Find products")
    expect(region.get_by_label("Search")).to_have_value("wool coat")
    expect(region.get_by_role("status")).to_contain_text(re.compile(r"Showing [1-9]"))


def test_order_tracking_from_free_text_shows_the_timeline(page, server):
    frame = open_widget(page, server.url)
    region = ask(frame, "Where is my order gg-11982 please?", lands_on="Track an order")
    expect(region.get_by_label("Order number")).to_have_value("GG-11982")
    expect(region.get_by_label("Email or postal code")).to_be_focused()
    region.get_by_label("Email or postal code").fill("wrong@example.com")
    region.get_by_role("button", name="Track order").click()
    expect(region.get_by_role("alert")).to_contain_text("couldn't find that order")

    region.get_by_label("Email or postal code").fill("  Avery.Stone@example.com ")
    region.get_by_role("button", name="Track order").click()
    expect(region.get_by_role("heading", name="Order GG-11982: Shipped")).to_be_visible()
    expect(region.get_by_role("alert")).to_be_empty()
    assert region.locator("ol.timeline > li").count() >= 4
    event = relayed(page, "aurora_order_tracked")
    assert event["props"]["status"] == "shipped"
    assert "avery" not in str(event).lower()  # no personal data reaches the host page
    screenshot(page, "journey-tracking")


def test_required_fields_are_flagged_before_any_call(page, server):
    frame = open_widget(page, server.url)
    region = choose(frame, "Track an order")
    lookups: list[str] = []
    page.on("request", lambda r: "/orders/lookup" in r.url and lookups.append(r.url))
    region.get_by_role("button", name="Track order").click()
    number = region.get_by_role("textbox", name="Order number")
    expect(number).to_have_attribute("aria-invalid", "true")
    expect(number).to_be_focused()
    expect(number).to_have_accessible_description(re.compile("Please fill this in"))
    expect(region.get_by_label("Email or postal code")).to_have_attribute("aria-invalid", "true")
    expect(region.get_by_role("alert")).to_have_text("Please check the highlighted fields.")
    assert lookups == []


def test_return_choosing_items_and_reasons(page, server):
    frame = open_widget(page, server.url)
    region = find_order_to_return(frame, "GG-10457", "94110")
    picks = region.get_by_role("checkbox", name=re.compile("^Return "))
    expect(picks).to_have_count(3)
    region.get_by_role("button", name="Request return").click()
    expect(region.get_by_text("Choose at least one item to return.")).to_be_visible()

    picks.first.check()
    reason = region.get_by_role("combobox", name=re.compile("^Reason for returning")).first
    reason.select_option("too_small")
    region.get_by_label("Anything else we should know?").fill("Runs small.")
    region.get_by_role("button", name="Request return").click()
    expect(region.get_by_role("heading", name="Return requested")).to_be_visible()
    expect(region.get_by_text(re.compile(r"Your return number is RMA-"))).to_be_visible()
    event = relayed(page, "aurora_return_created")
    assert event["props"]["rmaNumber"].startswith("RMA-")
    assert event["props"]["itemCount"] == 1
    screenshot(page, "journey-return")


def test_return_retry_after_a_lost_answer_replays_with_the_same_key(page, server):
    frame = open_widget(page, server.url)
    sent: list[dict] = []

    def lose_first_answer(route):
        sent.append(route.request.headers)
        if len(sent) == 1:
            route.fetch()  # the server creates the RMA, the shopper never hears back
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route("**/api/concierge/returns", lose_first_answer)
    region = find_order_to_return(frame, "GG-10457", "jordan.lee@example.com")
    region.get_by_role("checkbox", name=re.compile("^Return ")).last.check()
    region.get_by_role("combobox", name=re.compile("^Reason for returning")).last.select_option(
        "damaged")
    region.get_by_role("button", name="Request return").click()
    expect(region.get_by_role("alert")).to_contain_text("couldn't reach the store")
    with page.expect_response("**/api/concierge/returns") as answer:
        region.get_by_role("button", name="Request return").click()
    assert answer.value.status == 201
    assert answer.value.headers.get("idempotent-replayed") == "true"
    assert sent[0]["idempotency-key"] == sent[1]["idempotency-key"]
    assert re.fullmatch(r"[A-Za-z0-9_-]{8,255}", sent[0]["idempotency-key"])
    expect(region.get_by_text(re.compile(r"Your return number is RMA-"))).to_be_visible()


def test_return_outside_the_window_explains_why(page, server):
    frame = open_widget(page, server.url)
    region = find_order_to_return(frame, "GG-10212", "casey.morgan@example.com")
    expect(region.get_by_text(re.compile("its return window closed on"))).to_be_visible()
    expect(region.get_by_role("checkbox", name=re.compile("^Return "))).to_have_count(0)


def test_capsule_hold_shows_expiry_and_a_second_hold_is_a_duplicate(page, server):
    frame = open_widget(page, server.url)
    region = choose(frame, "Capsule collections")
    expect(region.get_by_role("status")).to_contain_text("capsules available")
    email = fresh_email("hold")
    region.get_by_role("button", name=re.compile("^Hold Evening Atelier")).click()
    region.get_by_label("Email").fill(email)
    region.get_by_label("Size").select_option("M")
    region.get_by_role("button", name="Hold capsule").click()
    expect(region.get_by_role("heading", name="Capsule held")).to_be_visible()
    expect(region.get_by_text(re.compile("is held for you until"))).to_be_visible()
    expires = region.locator("[data-result] time").get_attribute("datetime")
    event = relayed(page, "aurora_capsule_held")
    assert event["props"]["expiresAt"] == expires
    screenshot(page, "journey-capsule")

    frame.get_by_role("button", name="Menu").click()
    region = choose(frame, "Capsule collections")
    expect(region.get_by_role("listitem").filter(has_text="Evening Atelier")).to_contain_text(
        "Held for you until")
    region.get_by_role("button", name="Release this hold on Evening Atelier").click()
    expect(region.get_by_text("Hold released.")).to_be_visible()
    relayed(page, "aurora_capsule_hold_released")
    expect(region.get_by_role("button", name=re.compile("^Hold Evening Atelier"))).to_be_enabled()


def test_shortlist_is_kept_across_visits_and_can_be_edited(page, server):
    frame = open_widget(page, server.url)
    region = choose(frame, "Find products")
    region.get_by_label("Search").fill("coat")
    region.get_by_role("button", name="Search").click()
    cards = region.get_by_role("list", name="Products").get_by_role("listitem")
    names = [cards.nth(i).get_by_role("heading").inner_text() for i in range(2)]
    for name in names:  # two quick clicks: the second must not overwrite the first
        region.get_by_role("button", name=f"Shortlist {name}").click()
    for name in names:
        expect(region.get_by_role("button", name=f"Shortlist {name}")).to_have_attribute(
            "aria-pressed", "true")

    frame = open_widget(page, server.url)  # a new visit: the page is loaded again
    region = choose(frame, "My shortlist")
    expect(region.get_by_role("status")).to_have_text("2 items in your shortlist.")
    listed = region.get_by_role("list", name="Shortlisted products")
    for name in names:
        expect(listed.get_by_role("heading", name=name)).to_be_visible()
    region.get_by_role("button", name=f"Remove {names[0]}").click()
    expect(region.get_by_role("status")).to_have_text("1 item in your shortlist.")
    assert relayed(page, "aurora_shortlist_saved")["props"] == {"itemCount": 1}
    screenshot(page, "journey-shortlist")


def test_stylist_booking_shows_field_errors_then_books(page, server):
    frame = open_widget(page, server.url)
    region = choose(frame, "Book a stylist")
    region.get_by_label("Your name").fill("Noor Haddad")
    region.get_by_role("textbox", name="Email").fill(fresh_email("noor"))
    region.get_by_label("Topic").select_option("occasion")
    region.get_by_label("How can we help?").fill("A wedding in May, outdoor, garden party.")
    region.get_by_role("radio", name="Phone").check()
    phone = region.get_by_role("textbox", name=re.compile("^Phone number"))
    phone.fill("555 1234")
    region.get_by_role("button", name="Book a stylist").click()
    expect(phone).to_have_attribute("aria-invalid", "true")
    expect(phone).to_have_accessible_description(re.compile("^Please enter the number in intern"))
    expect(region.get_by_role("alert")).to_contain_text("Please check the highlighted fields")

    phone.fill("+14155550123")
    region.get_by_role("button", name="Book a stylist").click()
    # A request, not a booking: no time was chosen together (issue 28).
    expect(region.get_by_role("heading", name="Request sent")).to_be_visible()
    expect(region.get_by_text("We reply within one working day.")).to_be_visible()
    expect(region.get_by_text(re.compile("booked", re.I))).to_have_count(0)
    expect(region.get_by_text(re.compile(r"Your reference is ST-"))).to_be_visible()
    event = relayed(page, "aurora_stylist_ticket_created")
    assert event["props"]["topic"] == "occasion"


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (180, 90, 120)).save(out, "PNG")
    return out.getvalue()


def test_inspiration_upload_with_preview_and_consent(page, server):
    frame = open_widget(page, server.url)
    region = choose(frame, "Share inspiration")
    region.get_by_label("Photo", exact=True).set_input_files(
        {"name": "look.png", "mimeType": "image/png", "buffer": _png()})
    preview = region.get_by_role("img", name="Preview of your photo")
    expect(preview).to_be_visible()
    assert preview.get_attribute("src").startswith("blob:")
    region.get_by_label("Caption").fill("Linen for summer")
    region.get_by_role("button", name="Upload photo").click()
    expect(region.get_by_text("Please confirm you agree before uploading.")).to_be_visible()

    region.get_by_role("checkbox", name=re.compile("agree that the store may review")).check()
    region.get_by_role("button", name="Upload photo").click()
    expect(region.get_by_role("heading", name="Thanks for sharing")).to_be_visible()
    expect(region.get_by_text("(64 \u00d7 48)", exact=False)).to_be_visible()
    event = relayed(page, "aurora_inspiration_uploaded")
    assert event["props"]["moderationStatus"] == "pending_review"


def test_inspiration_rejects_a_file_that_is_not_an_image(page, server):
    frame = open_widget(page, server.url)
    region = choose(frame, "Share inspiration")
    region.get_by_label("Photo", exact=True).set_input_files(
        {"name": "holiday.png", "mimeType": "image/png", "buffer": b"MZ\x90\x00 not an image"})
    region.get_by_role("checkbox", name=re.compile("agree that the store may review")).check()
    region.get_by_role("button", name="Upload photo").click()
    expect(region.get_by_role("alert")).to_contain_text("isn't a photo we can read")


def test_order_updates_subscribe_by_sms_and_stop(page, server):
    frame = open_widget(page, server.url)
    region = choose(frame, "Order updates")
    region.get_by_label("Order number").fill("GG-12040")
    region.get_by_label("Email or postal code").fill("73301")
    region.get_by_role("radio", name="Text message (SMS)").check()
    region.get_by_label("Mobile number for updates").fill("+447700900123")
    region.get_by_role("button", name="Subscribe to updates").click()
    expect(region.get_by_role("heading", name="You're subscribed")).to_be_visible()
    event = relayed(page, "aurora_order_subscribed")
    assert event["props"] == {"channel": "sms", "existing": False}
    region.get_by_role("button", name="Stop these updates").click()
    expect(region.get_by_text(re.compile("Updates stopped"))).to_be_visible()


def test_feedback_rating_after_a_journey(page, server):
    frame = open_widget(page, server.url)
    choose(frame, "Capsule collections")
    frame.get_by_role("button", name="Menu").click()
    region = choose(frame, "Rate this help")
    region.get_by_role("button", name="Send rating").click()
    expect(region.get_by_text("Choose a rating from 1 to 5.")).to_be_visible()
    region.get_by_role("radio", name="4 \u2013 Good").check()
    region.get_by_label("Comment").fill("Quick and clear.")
    with page.expect_request("**/api/concierge/csat") as sent:
        region.get_by_role("button", name="Send rating").click()
    assert sent.value.post_data_json == {"rating": 4, "comment": "Quick and clear.",
                                          "intent": "capsules"}
    expect(region.get_by_role("heading", name="Thank you for your feedback")).to_be_visible()
    assert relayed(page, "aurora_csat_submitted")["props"] == {"rating": 4, "intent": "capsules"}


def _hold(frame, email: str):
    region = choose(frame, "Capsule collections")
    region.get_by_role("button", name=re.compile("^Hold Evening Atelier")).click()
    region.get_by_label("Email").fill(email)
    region.get_by_role("button", name="Hold capsule").click()
    return region


def test_duplicate_hold_from_another_device_shows_expiry_without_release(page, server):
    email = fresh_email("device")
    first = _hold(open_widget(page, server.url), email)
    expect(first.get_by_role("heading", name="Capsule held")).to_be_visible()
    page.context.clear_cookies()
    page.evaluate("localStorage.clear()")  # the widget shares the demo's origin here
    region = _hold(open_widget(page, server.url), email)
    expect(region.get_by_role("alert")).to_contain_text("You already hold this capsule until")
    expect(region.get_by_role("heading", name="You already hold this capsule")).to_be_visible()
    expect(region.get_by_role("button", name="Release this hold")).to_have_count(0)


def test_capsule_taken_meanwhile_says_it_is_unavailable(page, server):
    frame = open_widget(page, server.url)
    region = choose(frame, "Capsule collections")
    hold = region.get_by_role("button", name=re.compile("^Hold The Last One"))
    expect(hold).to_be_enabled()
    taken = requests.post(server.api("/capsule-holds"), timeout=5, json={
        "capsuleId": "capsule-last-one", "email": fresh_email("quicker")})
    assert taken.status_code == 201  # another shopper takes the last place
    hold.click()
    region.get_by_label("Email").fill(fresh_email("slower"))
    region.get_by_role("button", name="Hold capsule").click()
    expect(region.get_by_role("alert")).to_contain_text("every place in this capsule is taken")
    full = region.get_by_role("button", name=re.compile("^Fully held The Last One"))
    expect(full).to_be_disabled()
