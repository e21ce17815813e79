"""The staff console in real Chromium: sign-in, every action, axe, keyboard, two widths."""

from __future__ import annotations

import base64
import re

import pytest
import requests
from playwright.sync_api import expect

from concierge.flags import bucket

from ..console import activity
from ..support.live import free_port, gunicorn
from .conftest import screenshot
from .test_accessibility import blocking_violations

pytestmark = [pytest.mark.browser, pytest.mark.live]

PAGES = (("/console", "Overview"), ("/console/moderation", "Moderation queue"),
         ("/console/tickets", "Stylist tickets"), ("/console/returns", "Returns"),
         ("/console/flag", "Feature flag"), ("/console/deliveries", "Deliveries"),
         ("/console/audit", "Audit trail"), ("/console/conversations", "Conversations"),
         ("/console/staff", "Staff"))


@pytest.fixture(scope="module")
def console(tmp_path_factory):
    """A server with an admin token, after four shoppers used the widget."""
    # Webhooks go to a port nobody listens on and are given up at the first failure,
    # so the Deliveries page has failed ones to retry.
    with gunicorn(tmp_path_factory.mktemp("console"), CONCIERGE_ADMIN_TOKEN=activity.TOKEN,
                  CONCIERGE_WEBHOOK_URL=f"http://127.0.0.1:{free_port()}/hook",
                  CONCIERGE_WEBHOOK_SECRET="whsec_" + base64.b64encode(b"k" * 32).decode(),
                  OUTBOX_GIVE_UP_HOURS="0") as live:
        def send(method, path, **kwargs):
            response = requests.request(method, live.api(path), timeout=10, **kwargs)
            assert response.ok, (path, response.status_code, response.text)
            return response.json()
        live.made = activity.run(send)
        yield live


def sign_in(page, url: str, staff: str = "Robin") -> None:
    """Sign in from the page any console address sends a visitor to."""
    page.goto(f"{url}/console")
    expect(page.get_by_role("heading", name="Sign in to the console")).to_be_visible()
    page.get_by_label("Admin token").fill(activity.TOKEN)
    page.get_by_label("Your name").fill(staff)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Overview", level=1)).to_be_visible()


def test_wrong_token_is_refused_and_the_right_one_signs_in(page, console):
    page.expected_errors.append(r"status of 401 .*/console/sign-in")  # the wrong token
    page.goto(f"{console.url}/console/returns")
    page.get_by_label("Admin token").fill("not-the-token")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("That token is not the admin token.")
    page.get_by_label("Admin token").fill(activity.TOKEN)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Returns", level=1)).to_be_visible()
    cookie = next(c for c in page.context.cookies() if c["name"] == "concierge_console")
    assert cookie["httpOnly"]
    assert cookie["sameSite"] == "Strict"
    assert cookie["path"] == "/console"
    assert cookie["expires"] > 0
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You are signed out.")).to_be_visible()
    page.goto(f"{console.url}/console/returns")
    expect(page.get_by_role("heading", name="Sign in to the console")).to_be_visible()


def test_overview_counts_the_shoppers_sessions(page, console):
    sign_in(page, console.url)
    funnel = page.get_by_role("table", name="Sessions that opened the widget, and how many")
    rows = funnel.get_by_role("row")
    expect(rows.filter(has_text="Opened the widget")).to_contain_text("4 (100 %)")
    expect(rows.filter(has_text="Tracked an order")).to_contain_text("2 (50 %)")
    expect(rows.filter(has_text="Booked a stylist")).to_contain_text("2 (50 %)")
    csat = page.get_by_role("table", name="Answers per rating")
    expect(csat.get_by_role("row").filter(has_text="2 of 5")).to_contain_text("1")
    reasons = page.get_by_role("table", name="Items returned per reason")
    expect(reasons.get_by_role("row").filter(has_text="Too small")).to_contain_text("1")
    for chart in ("Completed journeys per day", "Mean CSAT rating per day"):
        expect(page.get_by_role("img", name=chart)).to_be_visible()


def test_upload_is_approved_after_its_image_is_seen(page, console):
    upload = console.made["upload"]
    sign_in(page, console.url)
    page.get_by_role("link", name="Moderation").click()
    image = page.get_by_role("img", name="Shopper photo: Red and blue summer look")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth") == 120
    card = page.get_by_role("listitem").filter(has=image)
    card.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("status")).to_have_text(f"Upload {upload} approved.")
    expect(page.get_by_role("img", name="Shopper photo: Red and blue summer look")).to_have_count(0)
    page.get_by_role("link", name="Audit").click()
    row = page.get_by_role("row").filter(has_text="inspiration.moderated")
    expect(row).to_contain_text(upload)
    expect(row).to_contain_text("Robin (CONCIERGE_ADMIN_TOKEN, 127.0.0.1)")


def test_image_is_served_to_signed_in_staff_only(console):
    url = f"{console.url}/console/moderation/{console.made['upload']}/image"
    anonymous = requests.get(url, allow_redirects=False, timeout=10)
    assert anonymous.status_code == 302
    assert "/console/sign-in" in anonymous.headers["Location"]
    assert not anonymous.headers["Content-Type"].startswith("image/")


def test_return_moves_to_approved_and_received(page, console):
    rma = console.made["rma"]
    sign_in(page, console.url)
    page.get_by_role("link", name="Returns").click()
    page.get_by_label("Status").select_option("requested")
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("link", name=rma).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("requested")
    page.get_by_role("button", name="Mark approved").click()
    expect(page.get_by_role("status")).to_have_text(f"Return {rma} is now approved.")
    expect(page.get_by_role("button", name="Mark rejected")).to_have_count(0)
    page.get_by_role("button", name="Mark received").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("received")
    expect(page.get_by_role("listitem").filter(has_text="approved → received")).to_be_visible()
    page.get_by_role("link", name="Deliveries").click()
    page.get_by_role("link", name=re.compile("^Pending")).click()
    emails = page.get_by_role("row").filter(has_text="return.status_changed").filter(
        has_text="by email to jordan.lee@example.com")  # no SMTP here: they wait
    expect(emails).to_have_count(2)


def test_ticket_moves_to_scheduled_then_closed(page, console):
    number = console.made["tickets"][0]
    sign_in(page, console.url)
    page.get_by_role("link", name="Stylist tickets").click()
    page.get_by_role("link", name=number).click()
    page.get_by_role("button", name="Mark scheduled").click()
    expect(page.get_by_role("status")).to_have_text(f"Ticket {number} is now scheduled.")
    page.get_by_role("button", name="Mark closed").click()
    expect(page.get_by_text("This ticket is closed.")).to_be_visible()


def test_failed_delivery_is_retried(page, console):
    sign_in(page, console.url)
    page.get_by_role("link", name="Deliveries").click()
    retry = page.get_by_role("button", name=re.compile("^Retry msg_"))
    for _ in range(20):  # the worker gives the webhooks up within a second or two
        if retry.count():
            break
        page.wait_for_timeout(500)
        page.reload()
    expect(page.get_by_role("row").filter(has_text="Connection refused").first).to_be_visible()
    screenshot(page, "console-deliveries-failed-1280")
    message = retry.first.get_attribute("aria-label").removeprefix("Retry ")
    retry.first.click()
    expect(page.get_by_role("status")).to_have_text(f"Delivery {message} is queued again.")
    page.get_by_role("link", name="Audit").click()
    expect(page.get_by_role("row").filter(has_text="outbox.retried")).to_contain_text(message)


def test_canary_change_applies_to_the_api_at_once(page, console):
    inside = next(s for s in (f"console-session-{i:04d}" for i in range(200)) if bucket(s) < 25)
    outside = next(s for s in (f"console-session-{i:04d}" for i in range(200)) if bucket(s) >= 25)
    sign_in(page, console.url)
    page.get_by_role("link", name="Feature flag").click()
    page.get_by_label("Share of shoppers who see it (%)").fill("25")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text(
        "The concierge is on for 25 % of shoppers.")
    try:
        answers = {s: requests.post(console.api("/orders/lookup"), timeout=10,
                                    headers={"X-Concierge-Session": s},
                                    json=activity.RETURN_ORDER).status_code
                   for s in (inside, outside)}
        assert answers == {inside: 200, outside: 503}
    finally:
        page.get_by_label("Share of shoppers who see it (%)").fill("100")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("status")).to_contain_text("on for every shopper")


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1280, "height": 900}},
                                             {"viewport": {"width": 375, "height": 740},
                                              "has_touch": True}],
                         ids=["1280", "375"])
def test_every_console_page_passes_axe_and_fits_the_width(page, console, context_options):
    width = context_options["viewport"]["width"]
    page.goto(f"{console.url}/console/sign-in")
    found = {"sign-in": blocking_violations(page)}
    screenshot(page, f"console-sign-in-{width}")
    sign_in(page, console.url)
    for path, heading in PAGES:
        page.goto(f"{console.url}{path}")
        expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
        found[path] = blocking_violations(page)
        overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
        assert overflow <= 0, (path, overflow)
        screenshot(page, f"console-{path.strip('/').replace('/', '-')}-{width}")
    ticket = console.made["tickets"][1]
    for path in (f"/console/tickets/{ticket}", f"/console/returns/{console.made['rma']}",
                 f"/console/conversations/{console.made['conversations'][0]}"):
        page.goto(f"{console.url}{path}")
        found[path] = blocking_violations(page)
        screenshot(page, f"console-{path.strip('/').split('/')[1]}-detail-{width}")
    assert {k: v for k, v in found.items() if v} == {}


def focused(page) -> str:
    """Describe the focused element by its accessible text."""
    return page.evaluate("""() => {
        const el = document.activeElement;
        return (el.labels && el.labels[0] ? el.labels[0].textContent
                : el.getAttribute('aria-label') || el.textContent).trim();
    }""")


def tab_to(page, name: str, limit: int = 60) -> None:
    """Press Tab until the focused element is called `name`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused(page).startswith(name):
            return
    raise AssertionError(f"Tab never reached {name!r}")


def test_keyboard_alone_signs_in_and_schedules_a_ticket(page, console):
    number = console.made["tickets"][1]
    page.goto(f"{console.url}/console")
    expect(page.get_by_label("Admin token")).to_be_focused()  # autofocus
    page.keyboard.type(activity.TOKEN)
    page.keyboard.press("Tab")
    page.keyboard.type("Kim")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Overview", level=1)).to_be_visible()
    page.keyboard.press("Tab")
    assert focused(page) == "Skip to content"
    tab_to(page, "Stylist tickets")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Stylist tickets", level=1)).to_be_visible()
    tab_to(page, number)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=f"Ticket {number}")).to_be_visible()
    tab_to(page, "Mark scheduled")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"  # the focus is visible
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text(f"Ticket {number} is now scheduled.")
