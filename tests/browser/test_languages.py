"""The widget in en, fr, de and es: chosen by data-locale or the browser, words, lang, Intl, axe.

The screenshots (tests/browser/screenshots/, git-ignored) are of each journey in French
and English at 1280 and 375 px; every locale is also measured for text wider than its box.
"""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from concierge.schemas import INTENTS

from ..support.live import gunicorn
from .conftest import WIDGET_FRAME, launcher, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.live]
BLOCKING = {"serious", "critical"}
SPACES = re.compile(r"[\u00a0\u202f]")
SHOPPER = {
    "en": {"heading": "How can we help?", "track": "Track an order", "number": "Order number",
           "factor": "Email or postal code", "submit": "Track order", "menu": "Menu",
           "title": "Order GG-11982: Shipped", "price": "Trench Coat ($472.00)",
           "packed": "Packed", "date": r"^[A-Z][a-z]{2} \d{1,2}, \d{4}$",
           "not_found": "We couldn't find that order. Check the order number and the email "
                        "or postal code used when ordering."},
    "fr": {"heading": "Comment pouvons-nous vous aider ?", "track": "Suivre une commande",
           "number": "Numéro de commande", "factor": "E-mail ou code postal",
           "submit": "Suivre la commande", "menu": "Menu",
           "title": "Commande GG-11982 : Expédiée", "price": "Trench Coat (472,00 $US)",
           "packed": "Emballée", "date": r"^\d{1,2} [a-zéû]+\.? \d{4}$",
           "not_found": "Nous n\u2019avons pas trouvé cette commande. Vérifiez le numéro de "
                        "commande et l\u2019e-mail ou le code postal indiqué lors de la commande."},
    "de": {"heading": "Wie können wir helfen?", "track": "Bestellung verfolgen",
           "number": "Bestellnummer", "factor": "E-Mail oder Postleitzahl",
           "submit": "Bestellung verfolgen", "menu": "Menü",
           "title": "Bestellung GG-11982: Versandt", "price": "Trench Coat (472,00 $)",
           "packed": "Verpackt", "date": r"^\d{2}\.\d{2}\.\d{4}$",
           "not_found": "Wir konnten diese Bestellung nicht finden. Prüfen Sie die "
                        "Bestellnummer und die E-Mail-Adresse oder Postleitzahl der Bestellung."},
    "es": {"heading": "¿En qué podemos ayudarte?", "track": "Seguir un pedido",
           "number": "Número de pedido", "factor": "Email o código postal",
           "submit": "Seguir el pedido", "menu": "Menú",
           "title": "Pedido GG-11982: Enviado", "price": "Trench Coat (472,00 US$)",
           "packed": "Empaquetado", "date": r"^\d{1,2} [a-z]+\.? \d{4}$",
           "not_found": "No hemos encontrado ese pedido. Revisa el número de pedido y el "
                        "email o el código postal que usaste al comprar."},
}
BROWSER_LANGUAGE = {"en": "en-US", "fr": "fr-FR", "de": "de-DE", "es": "es-ES"}
PHONE, DESKTOP = {"width": 375, "height": 740}, {"width": 1280, "height": 900}


@pytest.fixture
def context_options(request) -> dict:
    """A shopper whose browser speaks the parametrized language (navigator.languages too)."""
    locale, viewport = getattr(request, "param", ("en-US", DESKTOP))
    return {"viewport": viewport, "locale": locale}


def intent_labels(page) -> dict[str, str]:
    """Return each intent's button label as the page shows it."""
    return page.evaluate("""() => Object.fromEntries([...document.querySelectorAll(
        '[data-intent]')].map(b => [b.dataset.intent,
                                    b.querySelector('.intent-label').textContent]))""")


def blocking_violations(page) -> list[str]:
    results = Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}"
            for v in results.response["violations"] if v["impact"] in BLOCKING]


def track_order(scope, words: dict, factor: str) -> None:
    scope.get_by_role("button", name=words["track"]).click()
    region = scope.get_by_role("region", name=words["track"])
    region.get_by_label(words["number"]).fill("GG-11982")
    region.get_by_label(words["factor"]).fill(factor)
    region.get_by_role("button", name=words["submit"]).click()


@pytest.mark.parametrize(("context_options", "locale"),
                         [((BROWSER_LANGUAGE[k], DESKTOP), k) for k in SHOPPER],
                         indirect=["context_options"], ids=list(SHOPPER))
def test_the_browsers_language_picks_the_widgets_words_dates_and_money(page, server, locale):
    words = SHOPPER[locale]
    page.goto(f"{server.url}/demo")
    launcher(page).click()  # named in the shopper's language too
    frame = page.frame_locator(WIDGET_FRAME)
    frame.get_by_role("heading", name=words["heading"]).wait_for()
    assert frame.locator("html").get_attribute("lang") == locale

    track_order(frame, words, "nobody@example.com")  # an API error code, in the shopper's words
    region = frame.get_by_role("region", name=words["track"])
    expect(region.get_by_role("alert")).to_have_text(words["not_found"])

    region.get_by_label(words["factor"]).fill("10001")
    region.get_by_role("button", name=words["submit"]).click()
    expect(region.get_by_role("heading", name=words["title"])).to_be_visible()
    items = region.locator("[data-items] li").all_inner_texts()
    assert words["price"] in [SPACES.sub(" ", text).split(" \u00d7 ", 1)[1] for text in items]
    placed = region.locator("[data-facts] time").first
    assert re.match(words["date"], SPACES.sub(" ", placed.inner_text()))
    day = str(int(placed.get_attribute("datetime")[8:10]))
    assert day in placed.inner_text()
    expect(region.locator("[data-timeline] strong").nth(1)).to_have_text(words["packed"])


@pytest.mark.parametrize("context_options", [("fr-FR", DESKTOP)], indirect=True)
def test_the_loaders_data_locale_beats_the_browsers_language(page, server):
    def with_locale(route):
        body = route.fetch().text()
        route.fulfill(body=body.replace("<script async ", '<script async data-locale="de" ', 1),
                      content_type="text/html")
    page.route(f"{server.url}/demo", with_locale)
    page.goto(f"{server.url}/demo")
    launcher(page, "de").click()  # the loader's own words follow the tag too
    frame = page.frame_locator(WIDGET_FRAME)
    frame.get_by_role("heading", name=SHOPPER["de"]["heading"]).wait_for()
    assert frame.locator("html").get_attribute("lang") == "de"


@pytest.mark.parametrize("context_options", [("it-IT", DESKTOP)], indirect=True)
def test_a_language_the_widget_does_not_speak_falls_back_to_english(page, server):
    page.goto(f"{server.url}/demo")
    page.get_by_role("button", name="Ask Aurora").click()
    frame = page.frame_locator(WIDGET_FRAME)
    frame.get_by_role("heading", name=SHOPPER["en"]["heading"]).wait_for()
    assert frame.locator("html").get_attribute("lang") == "en"


@pytest.fixture
def own_server(tmp_path):
    """A server of its own: the journeys' return tests use up GG-10457's stock on the shared one."""
    with gunicorn(tmp_path) as live:
        yield live


@pytest.mark.parametrize("context_options", [("es-ES", DESKTOP)], indirect=True)
def test_a_return_made_in_spanish_is_stored_in_spanish_for_its_email(page, own_server):
    page.goto(f"{own_server.url}/widget?locale=es")
    page.get_by_role("button", name="Hacer una devolución").click()
    region = page.get_by_role("region", name="Hacer una devolución")
    region.get_by_label("Número de pedido").fill("GG-10457")
    region.get_by_label("Email o código postal").fill("jordan.lee@example.com")
    region.get_by_role("button", name="Buscar mi pedido").click()
    region.get_by_role("heading", name="Pedido GG-10457").wait_for()
    first = region.locator("fieldset.line").first
    first.get_by_role("checkbox").check()
    first.get_by_role("combobox", name=re.compile("^Motivo para devolver")).select_option(
        label="Demasiado pequeño")
    region.get_by_role("button", name="Solicitar la devolución").click()
    expect(region.get_by_role("heading", name="Devolución solicitada")).to_be_visible()
    expect(region.get_by_text(re.compile(r"^Tu número de devolución es RMA-"))).to_be_visible()
    assert "Demasiado pequeño" in region.locator(".lines li").first.inner_text()


@pytest.mark.parametrize(("context_options", "locale"),
                         [(("en-US", PHONE), k) for k in SHOPPER],
                         indirect=["context_options"], ids=list(SHOPPER))
def test_axe_finds_nothing_serious_in_any_view_of_each_locale_on_a_phone(page, server, locale):
    words = SHOPPER[locale]
    page.goto(f"{server.url}/widget?locale={locale}")
    expect(page.get_by_role("heading", name=words["heading"])).to_be_visible()
    found = {"menu": blocking_violations(page)}
    labels = intent_labels(page)
    for intent in INTENTS:
        if intent != INTENTS[0]:
            page.get_by_role("button", name=words["menu"]).click()
        page.get_by_role("button", name=labels[intent], exact=True).click()
        expect(page.get_by_role("heading", name=labels[intent], level=2)).to_be_focused()
        page.wait_for_timeout(300)  # journeys that load data on open (capsules, shortlist)
        found[intent] = blocking_violations(page)
    page.get_by_role("button", name=words["menu"]).click()
    track_order(page, words, "nobody@example.com")
    expect(page.get_by_role("alert").filter(has_text=words["not_found"])).to_be_visible()
    found["error"] = blocking_violations(page)
    assert {k: v for k, v in found.items() if v} == {}


# Text wider than its box: the page scrolls sideways, a control clips its words, or an
# order's fact (a date, a tracking number: one word each) is broken over two lines.
OVERFLOW = """() => {
  const page = document.scrollingElement.scrollWidth - window.innerWidth;
  const clipped = [...document.querySelectorAll('button, a, label, legend, h2, h3, summary, dt, dd,'
      + ' .chip, .meta, .hint, option, p')]
    .filter(e => e.offsetParent !== null && !e.closest('.sr-only')
      && e.scrollWidth > e.clientWidth + 1)
    .map(e => e.tagName + ': ' + e.textContent.trim().slice(0, 40));
  const lines = e => {
    const range = document.createRange();
    range.selectNodeContents(e);
    return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
  };
  const broken = [...document.querySelectorAll('.facts dd')]
    .filter(e => e.offsetParent !== null && !/\\s/.test(e.textContent.trim()) && lines(e) > 1)
    .map(e => e.textContent.trim());
  return {page, clipped, broken};
}"""


def walk(page, url: str, locale: str, width: int) -> dict[str, dict]:
    """Walk every journey (with results where a journey has them); measure and photograph each."""
    words = SHOPPER[locale]
    page.goto(f"{url}/widget?locale={locale}")
    expect(page.get_by_role("heading", name=words["heading"])).to_be_visible()
    labels, measured = intent_labels(page), {}

    def shot(name):
        measured[name] = page.evaluate(OVERFLOW)
        if locale in ("en", "fr"):
            screenshot(page, f"lang-{locale}-{width}-{name}")

    shot("menu")
    for intent in INTENTS:
        page.get_by_role("button", name=words["menu"]).click() if intent != INTENTS[0] else None
        page.get_by_role("button", name=labels[intent], exact=True).click()
        region = page.get_by_role("region", name=labels[intent])
        if intent == "products":
            region.get_by_role("combobox").fill("coat")
            region.get_by_role("combobox").press("Enter")
            region.locator(".card:not(.skeleton)").first.wait_for()
        elif intent == "capsules":
            region.locator(".card:not(.skeleton)").first.wait_for()
        elif intent == "order_tracking":
            region.get_by_label(words["number"]).fill("GG-11982")
            region.get_by_label(words["factor"]).fill("10001")
            region.get_by_role("button", name=words["submit"]).click()
            region.get_by_role("heading", name=words["title"]).wait_for()
        page.wait_for_timeout(200)
        shot(intent)
    return measured


@pytest.mark.parametrize(("context_options", "locale", "width"),
                         [(("en-US", size), k, size["width"])
                          for size in (PHONE, DESKTOP) for k in SHOPPER],
                         indirect=["context_options"],
                         ids=[f"{k}-{s['width']}" for s in (PHONE, DESKTOP) for k in SHOPPER])
def test_longer_words_never_widen_the_page_or_clip_a_control(page, server, locale, width):
    measured = walk(page, server.url, locale, width)
    wide = {name: m for name, m in measured.items()
            if m["page"] > 0 or m["clipped"] or m["broken"]}
    assert wide == {}


@pytest.mark.parametrize(("typed", "journey"), [
    ("Où est ma commande GG-11982 ?", "Suivre une commande"),
    ("je veux retourner un article", "Faire un retour"),
    ("Ich möchte mit einem Menschen sprechen", "Parler à un conseiller"),
    ("Rücksendung für GG-10457", "Faire un retour"),
    ("¿Dónde está mi pedido?", "Suivre une commande"),
    ("reservar una cápsula", "Collections capsules"),
], ids=["fr-where", "fr-return", "de-person", "de-return", "es-where", "es-capsule"])
def test_ask_aurora_understands_the_shoppers_own_language(page, server, typed, journey):
    page.goto(f"{server.url}/widget?locale=fr")
    page.get_by_label("Demander à Aurora").fill(typed)
    page.get_by_role("button", name="OK", exact=True).click()
    expect(page.get_by_role("heading", name=journey, level=2)).to_be_visible()
    number = re.search(r"GG-\d+", typed)
    if number:  # the order number is carried into the journey's form
        expect(page.get_by_label("Numéro de commande").locator("visible=true")).to_have_value(
            number[0])
