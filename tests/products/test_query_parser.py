"""The shopper's-words parser: filters, terms, synonyms, corrections, and the words behind each."""

from __future__ import annotations

import pytest

from concierge.products.query_parser import Catalogue, amount, parse, tokenize

WORDS = {"dress": 28, "dresses": 1, "cardigan": 8, "blouse": 3, "crepe": 6, "silk": 15,
         "sweater": 5, "jumper": 3, "trench": 5, "coat": 6, "burgundy": 33, "handle": 3,
         "top": 22, "bag": 30, "denim": 11, "sneaker": 3, "leather": 20, "shirt": 7}
CATALOGUE = Catalogue(
    words=WORDS,
    categories=frozenset({"dresses", "tops", "knitwear", "outerwear", "shoes", "bags"}),
    colors=frozenset({"burgundy", "rust", "navy", "cobalt", "denim blue", "black", "ivory"}),
    sizes={"xs": "XS", "s": "S", "m": "M", "l": "L", "xl": "XL", "40": "40",
           "one size": "One Size"},
    sorted_words=tuple(sorted(WORDS)))


def read(text: str):
    return parse(text, CATALOGUE)


@pytest.mark.parametrize(("text", "low", "high"), [
    ("under $100", None, 10000),
    ("below 80", None, 8000),
    ("less than 50 dollars", None, 5000),
    ("up to £75", None, 7500),
    ("over 200", 20000, None),
    ("more than 150 bucks", 15000, None),
    ("between 50 and 120", 5000, 12000),
    ("between 120 and 50", 5000, 12000),
    ("$50-$120", 5000, 12000),
    ("50 to 120 dollars", 5000, 12000),
    ("from 40 to 60", 4000, 6000),
    ("under 1,200", None, 120000),
    ("max 99.50", None, 9950),
    ("$100", None, 10000),
])
def test_prices_become_a_range_in_minor_units(text, low, high):
    reading = read(f"silk dress {text}")
    assert (reading.min_price, reading.max_price) == (low, high)
    assert [t.word for t in reading.terms] == ["silk"]


@pytest.mark.parametrize(("text", "sizes"), [
    ("dress size M", ["M"]), ("dress size m", ["M"]), ("dress in 40", ["40"]),
    ("dress size medium", ["M"]), ("dress XL", ["XL"]), ("bag one size", ["One Size"]),
    ("dress in red", []), ("dress size 8", ["8"]),
])
def test_sizes_follow_a_marker_or_are_unambiguous(text, sizes):
    assert read(text).sizes == sizes


@pytest.mark.parametrize(("text", "colors"), [
    ("red dress", ["red", "burgundy", "rust"]),
    ("blue dress", ["blue", "navy", "cobalt", "denim blue"]),
    ("denim blue dress", ["denim blue"]),
    ("navy or black dress", ["navy", "black"]),
    ("off-white dress", ["ivory", "cream"]),
    ("gray dress", ["grey"]),
    ("denim dress", []),
])
def test_colour_words_and_families_become_catalogue_colours(text, colors):
    reading = read(text)
    assert reading.colors == colors
    assert reading.category == "dresses"


def test_case_accents_punctuation_and_filler_never_matter():
    plain = read("crepe blouse")
    for text in ("  CRÊPE, Blouse!! ", "Do you have a crêpe blouse?", "show me some crepe blouse"):
        assert [t.word for t in read(text).terms] == [t.word for t in plain.terms]


@pytest.mark.parametrize(("text", "in_stock"), [
    ("Is the trench coat in stock?", True), ("trench coat available", True),
    ("trench coat sold out", False), ("trench coat out of stock", False)])
def test_availability_words_become_the_in_stock_filter(text, in_stock):
    reading = read(text)
    assert reading.in_stock is in_stock
    assert (reading.category, [t.word for t in reading.terms]) == ("outerwear", ["trench"])


@pytest.mark.parametrize(("text", "alternatives"), [
    ("pullover", {"jumper", "sweater", "pullover"}),
    ("jumpers", {"jumpers", "jumper", "sweater", "pullover"}),
    ("trainers", {"trainers", "trainer", "sneaker"}),
    ("t-shirt", {"tee", "t shirt"}),
    ("roll neck", {"turtleneck", "roll neck", "polo neck"}),
])
def test_synonyms_come_from_the_word_lists(text, alternatives):
    (term,) = read(text).terms
    assert alternatives <= set(term.alternatives)


@pytest.mark.parametrize(("text", "corrections", "category", "terms"), [
    ("dreses", {"dreses": "dresses"}, "dresses", []),
    ("cardign", {"cardign": "cardigan"}, None, ["cardigan"]),
    ("sneekers", {"sneekers": "sneakers"}, None, ["sneakers"]),
    ("burgandy silk", {"burgandy": "burgundy"}, None, ["silk"]),
    ("dres", {}, None, ["dres"]),  # four letters: no typo allowed, but a prefix
    ("xyzzy silk", {}, None, ["xyzzy", "silk"]),  # no word one typo away
])
def test_one_typo_in_a_long_word_is_corrected_and_said(text, corrections, category, terms):
    reading = read(text)
    assert reading.corrections == corrections
    assert reading.category == category
    assert [t.word for t in reading.terms] == terms


def test_only_the_last_unknown_word_matches_as_a_prefix():
    first, last = read("swea silk").terms[0], read("silk swea").terms[-1]
    assert (first.prefix, last.prefix) == (False, True)


def test_the_last_category_word_names_the_category_and_others_stay_text():
    reading = read("top handle bag")
    assert reading.category == "bags"
    assert [t.word for t in reading.terms] == ["handle", "top"]


def test_parts_say_which_words_became_what():
    text = "Red silk dress size M under $100 in stock"
    parts = read(text).parts
    assert [(p["field"], p["text"]) for p in parts] == [
        ("colors", "Red"), ("terms", "silk"), ("category", "dress"), ("sizes", "size M"),
        ("maxPrice", "under $100"), ("inStock", "in stock")]
    assert all(p["text"] in text for p in parts)


def test_tokens_keep_their_place_in_the_text():
    tokens = tokenize("T-shirt \u2014 £20\u201330")
    assert [(t.value, t.kind) for t in tokens] == [
        ("t", "word"), ("shirt", "word"), ("£", "sym"), ("20", "num"), ("-", "sym"),
        ("30", "num")]
    assert amount(tokens[3]) == 2000
