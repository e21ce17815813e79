"""The widget's returns offer an exchange first, then credit with its bonus, then a refund;
what was returned already is greyed out; the confirmation gives the store's next steps; a
sold-out size offers "notify me" with its consent wording, in four languages."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import requests
from playwright.sync_api import expect

from ..merchant.conftest import BOOTSTRAP, order_body
from ..merchant.variants import DRESS, dress_body
from ..support.live import gunicorn
from .conftest import pleated_midi_dress_card, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.live]
AUTH = {"Authorization": f"Bearer {BOOTSTRAP}"}
EMAIL = "maya.chen@example.com"
LINE = {"name": "Satin Slip Dress", "price": {"amount": 13900, "currency": "USD"}}
ADDRESS = "Aurora Returns, 12 Quai de Jemmapes, 75010 Paris"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A server of its own: a merchant key, a 10 % credit bonus and a return address."""
    with gunicorn(tmp_path_factory.mktemp("exchanges"), CONCIERGE_MERCHANT_KEY=BOOTSTRAP,
                  CONCIERGE_STORE_CREDIT_BONUS_PERCENT="10", CONCIERGE_RETURN_ADDRESS=ADDRESS,
                  CONCIERGE_RETURN_INSTRUCTIONS="Any post office takes it for free.") as live:
        put = requests.put(live.api(f"/merchant/products/{DRESS}"), json=dress_body(),
                           headers=AUTH, timeout=10)
        assert put.status_code == 201, put.text
        yield live


def delivered_order(server, number: str) -> str:
    """A delivered order of two black S and one navy M, the navy M returned already."""
    at = (datetime.now(UTC) - timedelta(days=3)).isoformat().replace("+00:00", "Z")
    body = order_body(email=EMAIL, status="delivered", placedAt=at, deliveredAt=at, items=[
        {"sku": "VAR-BLK-S", "quantity": 2, **LINE}, {"sku": "VAR-NVY-M", "quantity": 1, **LINE}])
    assert requests.put(server.api(f"/merchant/orders/{number}"), json=body, headers=AUTH,
                        timeout=10).status_code == 201
    earlier = requests.post(server.api("/returns"), timeout=10,
                            headers={"Idempotency-Key": f"earlier-{number}"},
                            json={"orderNumber": number, "email": EMAIL, "items": [
                                {"sku": "VAR-NVY-M", "quantity": 1, "reason": "other"}]})
    assert earlier.status_code == 201, earlier.text
    return number


def open_returns(page, server, number):
    page.goto(f"{server.url}/widget?locale=en")
    page.locator("html[data-ready]").wait_for(state="attached")
    page.get_by_role("button", name="Start a return").click()
    region = page.get_by_role("region", name="Start a return")
    region.get_by_label("Order number").fill(number)
    region.get_by_label("Email or postal code").fill(EMAIL)
    region.get_by_role("button", name="Find my order").click()
    return region


def test_the_exchange_is_offered_first_then_credit_then_refund(page, server):
    region = open_returns(page, server, delivered_order(server, "GG-BRW-1"))
    lines = region.locator("fieldset.line")
    expect(lines).to_have_count(2)
    returned = lines.nth(1)
    expect(returned).to_have_class(re.compile(r"\breturned\b"))
    expect(returned.get_by_role("checkbox")).to_be_disabled()
    expect(returned).to_contain_text("Already returned")
    line = lines.nth(0)
    options = line.locator('[data-resolution] .check:not([hidden]) label')
    expect(options).to_have_text(["Exchange for another size or colour",
                                  "Store credit of $152.90 (10% more than a refund)",
                                  "Refund to my payment method"])
    expect(line.get_by_role("radio", name="Exchange for another size or colour")).to_be_checked()
    exchange = line.get_by_role("combobox", name="Exchange Satin Slip Dress for")
    # Black M is sold out: only the navy sizes are offered.
    expect(exchange.locator("option")).to_have_text(["Size S, Navy", "Size M, Navy"])
    line.get_by_role("checkbox").check()
    line.get_by_role("combobox", name=re.compile("^Quantity")).select_option("2")
    expect(line.get_by_text("Store credit of $305.80 (10% more than a refund)")).to_be_visible()
    line.get_by_role("combobox", name=re.compile("^Reason")).select_option("too_small")
    exchange.select_option(label="Size M, Navy")
    screenshot(page, "exchange-offer")
    region.get_by_role("button", name="Request return").click()
    expect(region.get_by_role("heading", name="Return requested")).to_be_visible()
    expect(region.get_by_text(re.compile(
        "2 \u00d7 Satin Slip Dress — Too small — exchange for Size M, Navy, set aside"))
    ).to_be_visible()
    expect(region.get_by_role("heading", name="Next steps")).to_be_visible()
    expect(region.get_by_text(ADDRESS)).to_be_visible()
    expect(region.get_by_text("Any post office takes it for free.")).to_be_visible()
    expect(region.get_by_text(re.compile(r"write RMA-[A-Z2-7]{16} on the parcel"))).to_be_visible()
    product = requests.get(server.api("/products/VAR-NVY-M"), timeout=10).json()
    assert next(v for v in product["variants"] if v["sku"] == "VAR-NVY-M")["lowStock"] is False


def test_store_credit_is_chosen_and_confirmed_with_its_amount(page, server):
    region = open_returns(page, server, delivered_order(server, "GG-BRW-2"))
    line = region.locator("fieldset.line").nth(0)
    line.get_by_role("checkbox").check()
    line.get_by_role("combobox", name=re.compile("^Reason")).select_option("changed_mind")
    line.get_by_role("radio", name=re.compile("^Store credit")).check()
    expect(line.get_by_role("combobox", name="Exchange Satin Slip Dress for")).to_be_hidden()
    region.get_by_role("button", name="Request return").click()
    expect(region.get_by_text(re.compile(r"store credit of \$152\.90"))).to_be_visible()


NOTIFY = {
    "en": ("Notify me when it's back", "Your email", "Notify me",
           "One email when it's back", "Done: we'll email ana@example.com once"),
    "fr": ("Me prévenir de son retour", "Votre e-mail", "Me prévenir",
           "Un seul e-mail à son retour", "C\u2019est noté : nous écrirons à ana@example.com"),
    "de": ("Benachrichtigen, wenn wieder da", "Ihre E-Mail-Adresse", "Benachrichtigen",
           "Eine E-Mail, sobald er wieder da", "Erledigt: Wir schreiben ana@example.com einmal"),
    "es": ("Avisarme cuando vuelva", "Su correo electrónico", "Avisarme",
           "Un solo correo cuando vuelva", "Hecho: escribiremos una sola vez a ana@example.com"),
}


@pytest.mark.parametrize("locale", ["en", "fr", "de", "es"])
def test_notify_me_on_a_sold_out_size_with_its_consent_words(page, server, locale):
    summary, label, button, consent, done = NOTIFY[locale]
    card = pleated_midi_dress_card(page, server.url, locale)
    expect(card).to_have_count(1)
    card.get_by_text(summary, exact=True).click()
    form = card.locator("form.notify")
    expect(form).to_contain_text(consent)
    sold_out = form.locator("select option")
    assert sold_out.count() >= 2
    with page.expect_response("**/api/concierge/stock-alerts") as answer:
        form.get_by_label(label).fill(" ana@example.com ")
        form.get_by_role("button", name=button, exact=True).click()
    assert answer.value.status in (200, 201)
    alert = answer.value.json()
    assert alert["status"] == "waiting"
    expect(card.locator(".notify-done")).to_contain_text(done)
    expect(card.locator(".notify-done")).to_be_focused()
    stored = requests.get(server.api(f"/stock-alerts/{alert['alertId']}"), timeout=10).json()
    assert stored["sku"] == alert["sku"]
    screenshot(page, f"notify-me-{locale}")


def test_a_bad_email_is_said_next_to_the_field(page, server):
    card = pleated_midi_dress_card(page, server.url, "en")
    card.get_by_text("Notify me when it's back", exact=True).click()
    form = card.locator("form.notify")
    form.get_by_label("Your email").fill("not-an-email")
    form.get_by_role("button", name="Notify me", exact=True).click()
    expect(form.locator(".field-error")).to_have_text("Please check the format of this field.")
    expect(form.get_by_label("Your email")).to_have_attribute("aria-invalid", "true")
