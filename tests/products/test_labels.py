"""Category and colour labels in the shopper's language: complete, and read back by the search."""

from __future__ import annotations

import json
import re

import pytest

from concierge.products.query_parser import Catalogue, parse
from concierge.products.vocabulary import vocabulary
from concierge.seeding import SEED_DIR

SEED = json.loads((SEED_DIR / "products.json").read_text(encoding="utf-8"))
CATEGORIES = sorted({p["category"] for p in SEED})
COLORS = sorted({c for p in SEED for c in p["colors"]})
SIZES = ["One Size"]  # the seed's only size named in words (the others: S, M, 38…)
CATALOGUE = Catalogue(words={}, categories=frozenset(CATEGORIES), colors=frozenset(COLORS),
                      sizes={"one size": "One Size"}, sorted_words=())
TRANSLATED = ("fr", "de", "es")


@pytest.mark.parametrize("locale", TRANSLATED)
def test_every_seed_category_colour_and_worded_size_has_a_label(locale):
    assert set(vocabulary(locale).labels) == {*CATEGORIES, *COLORS, *SIZES}


def test_english_names_them_as_the_catalogue_does():
    assert vocabulary("en").labels == {}


@pytest.mark.parametrize(("locale", "value"), [
    (locale, value) for locale in TRANSLATED for value in CATEGORIES + COLORS + SIZES])
def test_a_label_typed_back_finds_its_value(locale, value):
    # A shopper who reads "bleu marine" on a chip and types it gets navy, nothing wider.
    reading = parse(vocabulary(locale).labels[value], CATALOGUE, locale)
    if value in CATEGORIES:
        assert reading.category == value
    elif value in SIZES:
        assert reading.sizes == [value]
    else:
        assert reading.colors == [value]
    assert not reading.terms


def test_a_french_search_names_its_chips_in_french(client):
    answer = client.get("/api/concierge/products", query_string={"q": "robe bleue en taille unique",
                                                                 "locale": "fr"})
    parts = {p["field"]: p for p in answer.get_json()["interpretation"]["parts"]}
    assert (parts["category"]["value"], parts["category"]["label"]) == ("dresses", "Robes")
    assert parts["colors"]["value"] == ["navy", "cobalt", "denim blue"]
    assert parts["colors"]["label"] == ["bleu marine", "bleu cobalt", "bleu jean"]
    assert parts["sizes"]["label"] == ["Taille unique"]


def test_an_english_search_sends_no_labels(client):
    answer = client.get("/api/concierge/products", query_string={"q": "blue dress"})
    assert all("label" not in p for p in answer.get_json()["interpretation"]["parts"])


@pytest.mark.parametrize(("locale", "value", "label"), [
    ("fr", "outerwear", "Manteaux et vestes"), ("de", "burgundy", "bordeaux"),
    ("es", "denim blue", "azul vaquero"), ("en", "denim blue", "denim blue")])
def test_the_widget_s_filter_menus_name_values_in_its_language(client, locale, value, label):
    page = client.get("/widget", query_string={"locale": locale}).get_data(as_text=True)
    assert re.search(rf'<option value="{value}"[^>]*>{label}</option>', page)


def test_the_menus_list_categories_and_colours_in_the_order_of_their_names(client):
    page = client.get("/widget", query_string={"locale": "fr"}).get_data(as_text=True)
    for menu in ("products-category", "products-color"):
        options = re.findall(r'<option value="[^"]+"[^>]*>([^<]+)</option>',
                             re.search(rf'id="{menu}".*?</select>', page, re.S)[0])
        assert len(options) > 5
        assert options == sorted(options, key=str.lower)
