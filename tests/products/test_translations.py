"""Products in the shopper's language: translations through the merchant API and imports,
answered in her locale with the store's words as fallback, and searchable in it."""

from __future__ import annotations

import json

import pytest

from concierge.merchant import imports

from ..merchant.conftest import API, BOOTSTRAP, product_body

URL = "/api/concierge/products"
AUTH = {"Authorization": f"Bearer {BOOTSTRAP}"}
SKU = "AUR-LANG-0001"
FRENCH = {"name": "Robe chemise en lin", "description": "Une robe chemise ample en lin."}
GERMAN = {"name": "Leinen-Hemdblusenkleid"}


@pytest.fixture
def config(config) -> dict:
    """A merchant key, and an index that looks for changes on every search."""
    return {**config, "CONCIERGE_MERCHANT_KEY": BOOTSTRAP, "SEARCH_REFRESH_MS": 0}


@pytest.fixture
def translated(client):
    body = product_body(translations={"fr": FRENCH, "de": GERMAN})
    answer = client.put(f"{API}/products/{SKU}", json=body, headers=AUTH)
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def first(client, q: str, locale: str) -> dict:
    body = client.get(URL, query_string={"q": q, "locale": locale}).get_json()
    assert body["total"] > 0, body["interpretation"]
    return body["items"][0]


def test_the_merchant_api_keeps_a_products_translations(translated):
    assert translated["translations"] == {"fr": FRENCH, "de": GERMAN}


def test_a_shopper_sees_the_name_of_her_locale_and_the_stores_words_otherwise(
        client, translated):
    assert first(client, "Linen Shirt Dress", "fr")["name"] == FRENCH["name"]
    assert first(client, "Linen Shirt Dress", "de")["name"] == GERMAN["name"]
    assert first(client, "Linen Shirt Dress", "es")["name"] == "Linen Shirt Dress"
    assert first(client, "Linen Shirt Dress", "en")["name"] == "Linen Shirt Dress"


def test_a_product_page_answers_in_the_locale_with_fallback(client, translated):
    french = client.get(f"{URL}/{SKU}", query_string={"locale": "fr"}).get_json()
    assert (french["name"], french["description"]) == (FRENCH["name"], FRENCH["description"])
    german = client.get(f"{URL}/{SKU}", headers={"Accept-Language": "de-DE"}).get_json()
    assert (german["name"], german["description"]) == (
        GERMAN["name"], "A relaxed linen shirt dress.")


@pytest.mark.parametrize(("q", "locale"), [
    ("robe chemise ample", "fr"),  # words only the French description has
    ("Robe chemise en lin", "fr"),  # its French name: first
    ("Leinen-Hemdblusenkleid", "de"),
])
def test_a_translation_is_searchable_in_its_language(client, translated, q, locale):
    assert first(client, q, locale)["sku"] == SKU


def test_a_word_of_a_translated_name_finds_it_among_others(client, translated):
    body = client.get(URL, query_string={"q": "Hemdblusenkleid", "locale": "de"}).get_json()
    assert SKU in [p["sku"] for p in body["items"]]


def test_a_translation_is_suggested_by_its_name(client, translated):
    found = client.get(f"{URL}/suggest", query_string={"q": "robe chem", "locale": "fr"})
    assert {"text": FRENCH["name"], "kind": "product", "sku": SKU} in found.get_json()[
        "suggestions"]


@pytest.mark.parametrize("translations", [
    {"it": {"name": "Abito"}},  # not a locale of the widget
    {"fr": {"description": "sans nom"}},
    {"fr": {"name": ""}},
    {"fr": "Robe"},
])
def test_a_bad_translation_is_refused(client, translations):
    answer = client.put(f"{API}/products/{SKU}", json=product_body(translations=translations),
                        headers=AUTH)
    assert answer.status_code == 422
    assert any(key.startswith("translations") for key in answer.get_json()["errors"])


def test_json_lines_carry_translations(app, client, tmp_path):
    path = tmp_path / "products.jsonl"
    path.write_text(json.dumps({"sku": SKU, **product_body(translations={"fr": FRENCH})}) + "\n")
    with app.app_context():
        summary = imports.run("products", imports.read_file("products", path), imports.direct)
    assert summary.counts["created"] == 1
    assert first(client, "Linen Shirt Dress", "fr")["name"] == FRENCH["name"]
