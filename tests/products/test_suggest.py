"""GET /products/suggest: categories, completed words and products while typing."""

from __future__ import annotations

import pytest

from concierge.products.suggestions import within_one_edit

URL = "/api/concierge/products/suggest"


def suggest(client, q: str, **params) -> list[dict]:
    response = client.get(URL, query_string={"q": q, **params})
    assert response.status_code == 200, response.get_json()
    return response.get_json()["suggestions"]


def test_a_beginning_suggests_its_products_with_their_skus(client):
    found = suggest(client, "cashm")
    products = [s for s in found if s["kind"] == "product"]
    assert products
    assert all("cashmere" in s["text"].lower() and s["sku"] for s in products)
    assert {"text": "cashmere", "kind": "query"} in found


def test_at_most_eight_suggestions(client):
    assert len(suggest(client, "d")) <= 8
    assert len(suggest(client, "dre")) == 8


def test_a_category_is_suggested_in_the_shoppers_language(client):
    assert {"text": "dresses", "kind": "category"} in suggest(client, "dre")
    assert {"text": "robe", "kind": "category"} in suggest(client, "rob", locale="fr")
    assert {"text": "kleid", "kind": "category"} in suggest(client, "Kle", locale="de")
    assert {"text": "vestido", "kind": "category"} in suggest(client, "vest", locale="es")


@pytest.mark.parametrize(("typed", "wanted"), [("cahsmere", "cashmere"), ("sneeker", "sneaker"),
                                               ("blazr", "blazer")])
def test_one_typo_is_forgiven_from_four_letters(client, typed, wanted):
    found = suggest(client, typed)
    assert found
    assert any(wanted in s["text"].lower() for s in found)


def test_three_letters_carry_no_typo(client):
    assert not any("dress" in s["text"].lower() for s in suggest(client, "drx"))


def test_every_typed_word_must_begin_a_word_of_the_name(client):
    found = [s for s in suggest(client, "black oxf") if s["kind"] == "product"]
    assert [s["text"] for s in found] == ["Black Oxford Shirt"]


@pytest.mark.parametrize("q", ["", "   ", "x" * 51])
def test_an_empty_or_long_text_is_refused(client, q):
    response = client.get(URL, query_string={"q": q})
    assert response.status_code == 422
    assert "q" in response.get_json()["errors"]


def test_a_missing_text_is_refused(client):
    assert client.get(URL).status_code == 422


def test_words_without_letters_suggest_nothing(client):
    assert suggest(client, "!!") == []


@pytest.mark.parametrize(("a", "b", "close"), [
    ("dres", "dress", True), ("cahs", "cash", True), ("blak", "blac", True),
    ("abcd", "axyd", False), ("abc", "a", False), ("same", "same", True)])
def test_two_words_are_one_edit_apart_or_not(a, b, close):
    assert within_one_edit(a, b) is close
