"""/widget speaks the asked or negotiated language: lang, every text, the same page otherwise."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

HEADINGS = {"en": "How can we help?", "fr": "Comment pouvons-nous vous aider ?",
            "de": "Wie können wir helfen?", "es": "¿En qué podemos ayudarte?"}
# Words a shopper reads the same in both languages (names, abbreviations, cognates).
SAME_IN_FRENCH = {"Aurora Concierge", "Capsules", "Photo", "Menu", "5 \u2013 Excellent",
                  "\u00d7", "\u2190"}  # the close and back signs (aria-hidden)
SHOPPER_ATTRIBUTES = ("aria-label", "placeholder", "alt", "title")


class Texts(HTMLParser):
    """Collect what a shopper reads or hears: text, labels, placeholders, alt texts.

    Options of the catalogue's facets (its categories, colours, sizes) are the
    store's own words and are left out.
    """

    def __init__(self):
        super().__init__()
        self.lang, self.texts, self._skip = None, [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag in ("script", "style") or (tag == "select" and attrs.get("name") in (
                "category", "color", "size")):
            self._skip += 1
        self.texts += [attrs[a].strip() for a in SHOPPER_ATTRIBUTES if attrs.get(a)]

    def handle_endtag(self, tag):
        if tag in ("script", "style", "select") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if data.strip() and not self._skip:
            self.texts.append(" ".join(data.split()))


def read(response) -> Texts:
    texts = Texts()
    texts.feed(response.get_data(as_text=True))
    return texts


@pytest.mark.parametrize("locale", sorted(HEADINGS))
def test_widget_renders_in_the_asked_locale_with_its_lang(client, locale):
    page = read(client.get(f"/widget?locale={locale}"))
    assert page.lang == locale
    assert HEADINGS[locale] in page.texts


@pytest.mark.parametrize(("header", "locale"), [("de-CH,de;q=0.9", "de"),
                                               ("es-AR, en;q=0.4", "es"), ("ja", "en")])
def test_widget_without_a_locale_speaks_the_browsers_language(client, header, locale):
    response = client.get("/widget", headers={"Accept-Language": header})
    assert read(response).lang == locale
    assert "Accept-Language" in response.headers["Vary"]


def test_no_english_text_is_left_on_the_french_page(client):
    english = set(read(client.get("/widget?locale=en")).texts)
    french = read(client.get("/widget?locale=fr")).texts
    left = sorted({text for text in french if text in english} - SAME_IN_FRENCH)
    assert left == []


def test_each_locale_has_its_own_etag(client):
    tags = {client.get(f"/widget?locale={locale}").headers["ETag"] for locale in HEADINGS}
    assert len(tags) == len(HEADINGS)


def test_return_reasons_and_stylist_topics_are_worded_in_the_locale(client):
    texts = read(client.get("/widget?locale=de")).texts
    assert {"Zu klein", "Entspricht nicht der Beschreibung", "Ein Geschenk"} <= set(texts)


@pytest.mark.parametrize("locale", ["fr", "de", "es"])
def test_the_script_gets_only_its_locales_words_as_a_json_data_block(client, locale):
    body = client.get(f"/widget?locale={locale}").get_data(as_text=True)
    start = body.index('<script type="application/json" id="aurora-strings">')
    block = json.loads(body[body.index(">", start) + 1:body.index("</script>", start)])
    assert block["Searching…"] == {"fr": "Recherche…", "de": "Suche läuft …",
                                   "es": "Buscando…"}[locale]
    assert len(block["{n} capsule available to hold."]) == 2  # singular and plural
    others = {"fr": "Commande {order}", "de": "Bestellung {order}", "es": "Pedido {order}"}
    assert [block["Order {order}"]] == [others[locale]]
    assert "Find products" not in block  # the page's own words are rendered, not shipped twice


def test_english_ships_no_words_to_the_script(client):
    assert 'id="aurora-strings"' not in client.get("/widget?locale=en").get_data(as_text=True)
