"""Type-ahead: categories, completed words and products for the words typed so far."""

from __future__ import annotations

import bisect
from functools import cache

from ..i18n import DEFAULT_LOCALE
from ..text import fold, words
from .engine import NAMES, TYPO_FROM, Engine
from .vocabulary import vocabulary

MAX_SUGGESTIONS = 8
MAX_CATEGORIES = 2
MAX_COMPLETIONS = 2


def within_one_edit(a: str, b: str) -> bool:
    """Tell whether two words differ by at most one deletion, insertion, change or swap."""
    if abs(len(a) - len(b)) > 1:
        return False
    at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y),
              min(len(a), len(b)))
    return (a[at + 1:] == b[at + 1:] or a[at + 1:] == b[at:] or a[at:] == b[at + 1:]
            or (a[at:at + 2] == b[at:at + 2][::-1] and a[at + 2:] == b[at + 2:]))


def _begins(word: str, typed: str) -> bool:
    """Tell whether a word begins with what was typed, one typo allowed from 4 letters."""
    if word.startswith(typed):
        return True
    n = len(typed)
    return n >= TYPO_FROM and any(within_one_edit(typed, word[:n + d]) for d in (-1, 0, 1))


@cache
def _category_words(locale: str, categories: frozenset[str]) -> dict[str, str]:
    """Return the words of a locale naming each catalogue category: word -> category."""
    if locale == DEFAULT_LOCALE:
        return {category: category for category in categories}
    words_of = vocabulary(locale)
    found: dict[str, str] = {}
    for key, category in words_of.categories.items():
        word = " ".join(key)
        if category in categories and set(key) <= words_of.written:  # as written, no stem
            found.setdefault(word, category)
    return found


def categories(typed: list[str], locale: str, engine: Engine) -> list[dict]:
    """Suggest the categories whose word begins as typed."""
    text = " ".join(typed)
    named = _category_words(locale, engine.catalogue().categories)
    return [{"text": word, "kind": "category"} for word in sorted(named)
            if _begins(word, text)][:MAX_CATEGORIES]


def completions(typed: list[str], locale: str, engine: Engine) -> list[dict]:
    """Suggest the typed words with the last one finished by a word of the catalogue (or
    of the shopper's language), the most common first."""
    *before, last = typed
    catalogue = engine.catalogue()
    if locale == DEFAULT_LOCALE:
        known, counts = catalogue.sorted_words, catalogue.words
    else:
        known, counts = tuple(sorted(vocabulary(locale).written)), {}
    at = bisect.bisect_left(known, last)
    found = []
    while at < len(known) and known[at].startswith(last) and len(found) < 50:
        if known[at] != last and known[at].isalpha():
            found.append(known[at])
        at += 1
    found.sort(key=lambda w: (-counts.get(w, 0), len(w), w))
    return [{"text": " ".join([*before, word]), "kind": "query"}
            for word in found[:MAX_COMPLETIONS]]


def suggest(text: str, locale: str, engine: Engine) -> list[dict]:
    """Return at most 8 suggestions for the words typed so far."""
    typed = words(text)
    if not typed:
        return []
    found = categories(typed, locale, engine) + completions(typed, locale, engine)
    found += [{"text": (p.get(NAMES) or {}).get(locale) or p["name"], "kind": "product",
               "sku": p["sku"]}
              for p in engine.named_like(typed, MAX_SUGGESTIONS)]
    seen: set[str] = set()
    unique = []
    for suggestion in found:
        key = fold(suggestion["text"])
        if key not in seen:
            seen.add(key)
            unique.append(suggestion)
    return unique[:MAX_SUGGESTIONS]
