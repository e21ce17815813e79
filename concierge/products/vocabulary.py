"""The shopper's words of shopper_words.toml, loaded once into lookup tables."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..text import fold, singular

WORDS_FILE = Path(__file__).with_name("shopper_words.toml")


def phrase(text: str) -> tuple[str, ...]:
    """Fold a word or phrase of the word list into its words."""
    return tuple(fold(text).replace("-", " ").split())


def forms(words: tuple[str, ...]) -> set[tuple[str, ...]]:
    """Return a phrase as written and with its last word in the singular."""
    return {words, (*words[:-1], singular(words[-1]))} if words else set()


@dataclass(frozen=True)
class Vocabulary:
    """Every word list, keyed by folded phrase (a tuple of words)."""

    filler: frozenset[str]
    in_stock: frozenset[tuple[str, ...]]
    out_of_stock: frozenset[tuple[str, ...]]
    categories: dict[tuple[str, ...], str]
    colors: dict[tuple[str, ...], tuple[str, ...]]
    size_markers: frozenset[tuple[str, ...]]
    size_words: dict[tuple[str, ...], str]
    at_most: frozenset[tuple[str, ...]]
    at_least: frozenset[tuple[str, ...]]
    between: frozenset[tuple[str, ...]]
    range_joiners: frozenset[str]
    currency: frozenset[str]
    synonyms: dict[tuple[str, ...], tuple[str, ...]]  # phrase -> its group, phrases joined
    related: dict[tuple[str, ...], tuple[str, ...]]

    def known_words(self) -> set[str]:
        """Return every single word the lists use (typos are corrected towards them)."""
        phrases = [*self.in_stock, *self.out_of_stock, *self.categories, *self.colors,
                   *self.size_markers, *self.size_words, *self.at_most, *self.at_least,
                   *self.between, *self.synonyms, *self.related]
        words = {w for p in phrases for w in p} | set(self.filler) | set(self.range_joiners)
        for values in (*self.synonyms.values(), *self.related.values()):
            words |= {w for value in values for w in value.split()}
        return {w for w in words if w.isalpha()}


def _set(items) -> frozenset[tuple[str, ...]]:
    return frozenset(f for item in items for f in forms(phrase(item)))


def _keyed(mapping: dict, value) -> dict:
    return {f: value(v) for k, v in mapping.items() for f in forms(phrase(k))}


@cache
def vocabulary() -> Vocabulary:
    """Read shopper_words.toml (once per process)."""
    data = tomllib.loads(WORDS_FILE.read_text(encoding="utf-8"))
    synonyms: dict[tuple[str, ...], tuple[str, ...]] = {}
    for group in data["synonyms"]["groups"]:
        members = tuple(dict.fromkeys(" ".join(phrase(m)) for m in group))
        for member in group:
            for f in forms(phrase(member)):
                synonyms[f] = tuple(dict.fromkeys((*synonyms.get(f, ()), *members)))
    categories = {f: category for category, words in data["categories"].items()
                  for word in words for f in forms(phrase(word))}
    prices, sizes = data["prices"], data["sizes"]
    return Vocabulary(
        filler=frozenset(fold(w) for w in data["filler"]),
        in_stock=_set(data["in_stock"]), out_of_stock=_set(data["out_of_stock"]),
        categories=categories,
        colors=_keyed(data["colors"], lambda v: tuple(fold(c) for c in v)),
        size_markers=_set(sizes["markers"]),
        size_words=_keyed(sizes["words"], str),
        at_most=_set(prices["at_most"]), at_least=_set(prices["at_least"]),
        between=_set(prices["between"]),
        range_joiners=frozenset(fold(w) for w in prices["range_joiners"]),
        currency=frozenset(fold(w) for w in prices["currency"]),
        synonyms=synonyms,
        related=_keyed(data["related"], lambda v: tuple(" ".join(phrase(x)) for x in v)),
    )
