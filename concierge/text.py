"""Normalise text for keyword search and for comparing shopper input."""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[a-z0-9]+")
_LETTERS = re.compile(r"[^\W_]+")
_APOSTROPHE = re.compile(r"(?<=[^\W_])['\u2019](?=[^\W_])")
# Letters that have no accent to strip but are written out in ASCII, as the search
# index folds them (tantivy's AsciiFoldingFilter): "Straße" -> "strasse".
_SPELLED_OUT = str.maketrans({"ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "ł": "l",
                              "đ": "d", "ð": "d", "þ": "th", "\u0131": "i"})


def fold(text: str) -> str:
    """Lowercase and strip accents: "Crêpe" -> "crepe", "Straße" -> "strasse"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed
                   if not unicodedata.combining(c)).lower().translate(_SPELLED_OUT)


def joined(text: str) -> str:
    """Drop the apostrophes inside words, as query and index both read them: "Levi's" ->
    "Levis"."""
    return _APOSTROPHE.sub("", text)


def words(text: str) -> list[str]:
    """Split text into folded words of letters and digits, as the search index does."""
    return _LETTERS.findall(fold(joined(text)))


def normal_name(text: str) -> str:
    """Return a name as an exact-name search compares it: "MA-1 Bomber" -> "ma 1 bomber"."""
    return " ".join(words(text))


def singular(word: str) -> str:
    """Reduce a plural to its stem so "dresses" finds "dress"."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "xes", "zes", "ches", "shes")):
        return word[:-2]  # dresses -> dress, but blouses -> blouse below
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def tokens(text: str) -> list[str]:
    """Split free text into distinct search tokens, in order."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(fold(text)):
        seen.setdefault(singular(word), None)
    return list(seen)


def keywords(*parts: str | list[str]) -> list[str]:
    """Build a product's keywords array from its searchable fields."""
    words: dict[str, None] = {}
    for part in parts:
        for text in part if isinstance(part, list) else [part]:
            for token in tokens(text or ""):
                words.setdefault(token, None)
    return sorted(words)


def compact(value: str) -> str:
    """Uppercase and drop every space: " gg- 11982 " -> "GG-11982"."""
    return re.sub(r"\s+", "", value).upper()


def order_key(value: str) -> str:
    """Return what order numbers are matched by: "#gg 11982", "GG-11982" -> "GG11982".

    Shoppers type an order number as they remember it: with Shopify's "#", with or
    without dashes and spaces, in any case.  Two stored numbers that differ only
    so are one order to a shopper.
    """
    return re.sub(r"[\s#-]+", "", value).upper()


def normal_email(value: str) -> str:
    """Trim and lowercase an email for comparison."""
    return value.strip().lower()
