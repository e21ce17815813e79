"""Search tokens fold case, accents and plurals alike on both sides."""

import pytest

from concierge.text import compact, keywords, normal_email, tokens


@pytest.mark.parametrize(("query", "expected"), [
    ("Dresses", ["dress"]), ("blouses", ["blouse"]), ("Blouse", ["blouse"]),
    ("CRÊPE de chine", ["crepe", "de", "chine"]), ("shoes", ["shoe"]),
    ("glasses", ["glass"]), ("accessories", ["accessory"]), ("boxes", ["box"]),
    ("jeans jeans", ["jean"]), ("", []), ("  ,;  ", []),
])
def test_tokens_are_folded_and_singular(query, expected):
    assert tokens(query) == expected


def test_keywords_match_the_words_a_shopper_types():
    stored = set(keywords("Crêpe Blouse", ["Navy", "ivory"], "tops"))
    for query in ("crepe blouses", "NAVY BLOUSE", "tops", "Ivory"):
        assert set(tokens(query)) <= stored


@pytest.mark.parametrize(("raw", "expected"), [
    (" gg- 11982 ", "GG-11982"), ("gg-11982", "GG-11982"), ("sw1a 1aa", "SW1A1AA")])
def test_compact_drops_spaces_and_case(raw, expected):
    assert compact(raw) == expected


def test_emails_are_trimmed_and_lowercased():
    assert normal_email("  Avery.Stone@Example.COM ") == "avery.stone@example.com"

