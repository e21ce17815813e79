"""Talk to a person, walked in Chromium: a French shopper writes from the widget, staff answer
from the console, the answer arrives by email (aiosmtpd) and in the widget, she replies, and the
console shows the whole thread. Screenshots at 1280 and 375 px."""

from __future__ import annotations

import re
import secrets
from urllib.parse import urlsplit

import pytest
import requests
from playwright.sync_api import expect

from ..console import activity
from ..outbox.servers import wait_for
from ..support.live import gunicorn
from .conftest import WIDGET_FRAME, screenshot
from .test_console import focused, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.live]
FRENCH = {"viewport": {"width": 1280, "height": 900}, "locale": "fr-FR"}
PHONE = {"width": 375, "height": 740}


@pytest.fixture(scope="module")
def store(tmp_path_factory, module_mail):
    """A server with a console and mail, stating its reply time in French and English."""
    with gunicorn(tmp_path_factory.mktemp("conversations"),
                  CONCIERGE_ADMIN_TOKEN=activity.TOKEN,
                  CONCIERGE_SMTP_URL=module_mail.url,
                  CONCIERGE_MAIL_FROM="Aurora <shop@aurora.test>",
                  CONCIERGE_REPLY_TIME="within 4 hours|fr=sous 4 heures",
                  CONCIERGE_OFFICE_HOURS="Mon-Fri 9:00-18:00|fr=du lundi au vendredi, 9 h - 18 h",
                  OUTBOX_POLL_SECONDS="1") as live:
        yield live


@pytest.fixture
def context_options() -> dict:
    return FRENCH


def open_french_widget(page, url: str):
    page.goto(f"{url}/demo")
    page.get_by_role("button", name="Demander à Aurora", exact=True).click()
    frame = page.frame_locator(WIDGET_FRAME)
    frame.get_by_role("heading", name="Comment pouvons-nous vous aider ?").wait_for()
    frame.locator("html[data-ready]").wait_for(state="attached")
    return frame


def both_widths(page, name: str) -> None:
    """Screenshot at 1280 px, then at 375 px, and back."""
    screenshot(page, f"{name}-1280")
    size = page.viewport_size
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(200)
    screenshot(page, f"{name}-375")
    page.set_viewport_size(size)


def test_a_french_shopper_and_the_store_talk_through_widget_email_and_console(
        page, browser, store, module_mail):
    email = f"camille.{secrets.token_hex(3)}@example.com"
    # Before she opens the widget the page keeps nothing of the concierge's (API.md 25).
    page.goto(f"{store.url}/demo")
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0

    # 1. She writes from the widget, in French, about something it cannot do itself.
    frame = open_french_widget(page, store.url)
    question = "Puis-je changer l'adresse de livraison de GG-11982 ?"
    frame.get_by_label("Demander à Aurora").fill(question)
    frame.get_by_role("button", name="OK", exact=True).click()
    region = frame.get_by_role("region", name="Parler à un conseiller")
    expect(region.get_by_text("Nous ne pouvons pas le faire ici")).to_be_visible()
    expect(region.get_by_text("Nous répondons sous 4 heures. Nos horaires : du lundi au "
                              "vendredi, 9 h - 18 h.")).to_be_visible()
    expect(region.get_by_label("Votre message")).to_have_value(question)
    region.get_by_label("Votre nom").fill("Camille <b>Martin</b>")
    region.get_by_role("textbox", name="E-mail").fill(email)
    both_widths(page, "conversation-1-widget-form-fr")
    region.get_by_role("button", name="Envoyer le message").click()
    expect(region.get_by_role("heading", name="Message envoyé")).to_be_visible()
    expect(region.get_by_text(re.compile("^Nous répondons sous 4 heures. Vous recevrez"))
           ).to_be_visible()
    both_widths(page, "conversation-2-widget-sent-fr")

    # 2. Staff answer from the console's inbox.
    staff = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    staff.goto(f"{store.url}/console/conversations")
    staff.get_by_label("Admin token").fill(activity.TOKEN)
    staff.get_by_label("Your name").fill("Robin")
    staff.get_by_role("button", name="Sign in").click()
    expect(staff.get_by_role("heading", name="Conversations", level=1)).to_be_visible()
    staff.get_by_label("Email or order number").fill(email)
    staff.get_by_role("button", name="Search").click()
    staff.get_by_role("link", name="Camille <b>Martin</b>").click()
    expect(staff.get_by_text(question)).to_be_visible()
    expect(staff.get_by_text("GG-11982", exact=True)).to_be_visible()  # her order beside it
    staff.get_by_label("Reply to Camille <b>Martin</b>").fill(
        "Bonjour Camille, oui : envoyez-nous la nouvelle adresse ici.")
    staff.get_by_role("button", name="Send reply").click()
    expect(staff.get_by_role("status")).to_have_text("Reply sent; the shopper is emailed.")
    both_widths(staff, "conversation-3-console-reply")

    # 3. The answer arrives by email, in French, with a link back to the thread.
    message = wait_for(lambda: next((m for m in module_mail.messages if m["To"] == email), None))
    assert message["Subject"] == "Notre équipe a répondu à votre message"
    plain = message.get_body(("plain",)).get_content()
    assert "Bonjour Camille <b>Martin</b>," in plain
    assert "oui : envoyez-nous la nouvelle adresse ici." in plain
    link = urlsplit(re.search(r"http\S+/conversations/\S+\?token=\S+", plain).group(0))
    assert "&lt;b&gt;" in message.get_body(("html",)).get_content()

    # 4. Back on the store (a later visit, the same device): an unread mark, the reply.
    page.evaluate("sessionStorage.clear()")  # a new visit, not the next page of this one
    frame = open_french_widget(page, store.url)
    person = frame.get_by_role("button", name=re.compile("^Parler à un conseiller"))
    expect(person).to_contain_text("1 nouvelle réponse")
    person.scroll_into_view_if_needed()
    both_widths(page, "conversation-4-widget-unread")
    person.click()
    region = frame.get_by_role("region", name="Parler à un conseiller")
    thread = region.get_by_role("list", name="Votre conversation")
    expect(thread.get_by_role("listitem")).to_have_count(2)
    expect(thread.get_by_role("listitem").nth(1)).to_contain_text("Robin")
    expect(thread.get_by_role("listitem").nth(1)).to_contain_text("Nouveau")
    both_widths(page, "conversation-5-widget-thread")
    region.get_by_label("Votre réponse").fill("Merci ! 4 rue des Lilas, 75011 Paris.")
    region.get_by_role("button", name="Envoyer la réponse").click()
    expect(thread.get_by_role("listitem")).to_have_count(3)
    expect(frame.get_by_role("status")).to_have_text("Réponse envoyée.")
    expect(frame.locator("#menu [data-unread]")).to_have_count(0)  # read now

    # 5. The email's link opens the same thread.
    linked = browser.new_context().new_page()
    linked.goto(f"{store.url}{link.path}?{link.query}")
    expect(linked.get_by_role("heading",
                              name="Votre conversation avec notre équipe")).to_be_visible()
    expect(linked.get_by_text("Merci ! 4 rue des Lilas, 75011 Paris.")).to_be_visible()

    # 6. The console shows the whole thread, waiting on the store again.
    staff.reload()
    items = staff.locator("ol.thread > li")
    expect(items).to_have_count(3)
    expect(items.nth(2)).to_contain_text("Merci ! 4 rue des Lilas, 75011 Paris.")
    expect(staff.locator("h1 .status")).to_have_text("Open")
    both_widths(staff, "conversation-6-console-thread")


def test_the_inbox_is_used_by_keyboard_alone(page, store):
    email = f"kim.{secrets.token_hex(3)}@example.com"
    started = requests.post(store.api("/conversations"), timeout=10, json={
        "name": "Kim Keyboard", "email": email, "message": "Where is my parcel?"})
    assert started.status_code == 201
    page.goto(f"{store.url}/console/conversations")
    expect(page.get_by_label("Admin token")).to_be_focused()  # autofocus: no account yet
    page.keyboard.type(activity.TOKEN)
    page.keyboard.press("Tab")
    page.keyboard.type("Kim")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Conversations", level=1)).to_be_visible()
    tab_to(page, "Kim Keyboard")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=re.compile("^Kim Keyboard"))).to_be_visible()
    tab_to(page, "Reply to Kim Keyboard")
    page.keyboard.type("It left our warehouse this morning.")
    page.keyboard.press("Tab")
    assert focused(page) == "Send reply"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Reply sent; the shopper is emailed.")
    tab_to(page, "Close conversation")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Conversation closed.")
    expect(page.locator("h1 .status")).to_have_text("Closed")
