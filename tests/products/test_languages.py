"""Queries read in the shopper's language: locale, inflections, prices, stop words."""

from __future__ import annotations

import pytest

from concierge.products.query_parser import Catalogue, parse

URL = "/api/concierge/products"
# The catalogue's own words: the store writes English.
CATALOGUE = Catalogue({"dress": 3, "black": 2}, frozenset({"dresses", "outerwear"}),
                      frozenset({"black", "white"}), {"m": "M", "38": "38"})


def read(text: str, locale: str):
    return parse(text, CATALOGUE, locale)


@pytest.mark.parametrize(("locale", "words"), [
    ("fr", ["robe noir", "robe noire", "robes noires", "Robes NOIRS"]),
    ("de", ["schwarz Kleid", "schwarzes Kleid", "schwarze Kleider", "schwarzen Kleidern"]),
    ("es", ["vestido negro", "vestidos negros", "vestido negra", "Vestidos Negras"]),
    ("en", ["black dress", "black dresses", "Blak dres"]),
])
def test_a_colour_and_a_category_are_read_in_every_gender_and_inflection(locale, words):
    for text in words:
        reading = read(text, locale)
        found = (reading.category, reading.colors, reading.terms)
        assert found == ("dresses", ["black"], []), text


@pytest.mark.parametrize(("locale", "text", "maximum", "minimum"), [
    ("de", "Kleid unter 100 €", 10000, None),
    ("fr", "robe à moins de 80 euros", 8000, None),
    ("es", "vestido por menos de 90 €", 9000, None),
    ("fr", "robe entre 50 et 120 €", 12000, 5000),
    ("de", "Kleid zwischen 50 und 120 Euro", 12000, 5000),
    ("es", "vestido de más de 200 euros", None, 20000),
])
def test_price_words_of_each_language_become_bounds(locale, text, maximum, minimum):
    reading = read(text, locale)
    assert (reading.max_price, reading.min_price, reading.category) == (
        maximum, minimum, "dresses")


@pytest.mark.parametrize(("locale", "text"), [
    ("fr", "robe pas chère"), ("fr", "robe bon marché"), ("de", "günstiges Kleid"),
    ("de", "billige Kleider"), ("es", "vestido barato"), ("es", "vestidos baratos"),
    ("en", "cheap dress"),
])
def test_cheap_words_ask_for_the_cheapest_first(locale, text):
    reading = read(text, locale)
    assert (reading.sort, reading.category, reading.terms) == ("price_asc", "dresses", [])


@pytest.mark.parametrize(("locale", "text", "in_stock"), [
    ("fr", "robe en stock", True), ("fr", "robe épuisée", False),
    ("de", "Kleid auf Lager", True), ("de", "Kleid ausverkauft", False),
    ("es", "vestido disponible", True), ("es", "vestido agotado", False),
])
def test_stock_words_of_each_language_filter_availability(locale, text, in_stock):
    assert read(text, locale).in_stock is in_stock


@pytest.mark.parametrize(("locale", "text", "size"), [
    ("fr", "robe taille M", "M"), ("fr", "baskets pointure 38", "38"),
    ("de", "Kleid Größe M", "M"), ("es", "vestido talla M", "M"),
])
def test_size_words_of_each_language_filter_the_size(locale, text, size):
    assert read(text, locale).sizes == [size]


@pytest.mark.parametrize(("locale", "text"), [
    ("fr", "je cherche une robe pour le mariage de ma soeur"),
    ("de", "ich suche ein Kleid für die Hochzeit"),
    ("es", "busco un vestido para la boda de mi hermana"),
])
def test_stop_words_never_narrow_a_search(locale, text):
    reading = read(text, locale)
    assert reading.category == "dresses"
    words = [t.word for t in reading.terms]
    assert all(w in {"mariage", "soeur", "hochzeit", "boda", "hermana"} for w in words), words


@pytest.mark.parametrize(("locale", "text", "corrections"), [
    ("fr", "robe noire pas chère", {}),  # "chère" is French, never "cheer" or "where"
    ("fr", "robbe noire", {"robbe": "robe"}),
    ("de", "shwarzes Kleid", {"shwarzes": "schwarz"}),
    ("es", "vestdo negro", {"vestdo": "vestido"}),
    ("fr", "blak", {}),  # not corrected into English; matched by a near miss instead
])
def test_typos_are_corrected_only_within_the_shoppers_language(locale, text, corrections):
    assert read(text, locale).corrections == corrections


def test_a_word_of_four_letters_may_carry_one_typo():
    reading = read("blak", "en")
    assert (reading.colors, reading.corrections) == (["black"], {"blak": "black"})


def test_a_german_compound_is_read_as_its_words():
    reading = read("Lederjacke", "de")
    assert reading.category == "outerwear"
    assert [t.word for t in reading.terms] == ["leder"]
    assert "leather" in reading.terms[0].alternatives


def test_a_french_elided_word_is_read_without_its_article():
    reading = read("robe d'été", "fr")
    assert reading.category == "dresses"
    assert [t.word for t in reading.terms] == ["ete"]


@pytest.mark.parametrize(("params", "headers", "locale"), [
    ({"locale": "fr"}, {}, "fr"),
    ({"locale": "de-AT"}, {}, "de"),
    ({}, {"Accept-Language": "es-MX, en;q=0.5"}, "es"),
    ({"locale": "fr"}, {"Accept-Language": "de"}, "fr"),
    ({}, {}, "en"),
    ({"locale": "it"}, {}, "en"),
])
def test_the_query_is_read_in_the_locale_asked_else_accept_language_else_english(
        client, params, headers, locale):
    body = client.get(URL, query_string={"q": "robe", **params}, headers=headers).get_json()
    assert body["interpretation"]["locale"] == locale


def test_robe_noire_pas_chere_finds_black_dresses_cheapest_first(client):
    body = client.get(URL, query_string={"q": "robe noire pas chère", "locale": "fr"}
                      ).get_json()
    english = client.get(URL, query_string={"q": "black dress"}).get_json()
    assert body["total"] == english["total"] > 0
    assert {p["sku"] for p in body["items"]} == {p["sku"] for p in english["items"]}
    prices = [p["price"]["amount"] for p in body["items"]]
    assert prices == sorted(prices)
    assert body["interpretation"]["sort"] == "price_asc"


def test_an_explicit_sort_wins_over_cheap_words(client):
    body = client.get(URL, query_string={"q": "robe pas chère", "locale": "fr",
                                         "sort": "price_desc"}).get_json()
    prices = [p["price"]["amount"] for p in body["items"]]
    assert prices == sorted(prices, reverse=True)
    assert "sort" not in body["interpretation"]


def test_every_locale_of_the_widget_has_a_stemmer_and_a_word_list():
    from concierge.i18n import LOCALES
    from concierge.products.languages import SNOWBALL
    from concierge.products.vocabulary import vocabulary
    assert set(SNOWBALL) == set(LOCALES)
    assert all(vocabulary(locale).categories for locale in LOCALES)
