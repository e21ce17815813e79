"""The shopper's words of each language, loaded once into lookup tables.

English lives in shopper_words.toml, French, German and Spanish in
shopper_words.<locale>.toml.  Words are compared folded, and reduced: English words to
their singular, other languages' with their Snowball stemmer, so a list names each
word once and finds its plurals, genders and inflections ("noire", "schwarzes").
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ..i18n import DEFAULT_LOCALE, LOCALES
from ..text import fold, singular
from .languages import elided, stem, stop_word

WORDS_DIR = Path(__file__).parent
WORDS_FILE = WORDS_DIR / "shopper_words.toml"
MIN_PART = 3  # letters of the shortest word a compound is split into


def words_file(locale: str) -> Path:
    """Return the word list of a locale."""
    return WORDS_FILE if locale == DEFAULT_LOCALE else WORDS_DIR / f"shopper_words.{locale}.toml"


def phrase(text: str, locale: str = DEFAULT_LOCALE) -> tuple[str, ...]:
    """Fold a word or phrase of the word list into its words, as queries are read."""
    return tuple(fold(elided(text, locale)).replace("-", " ").split())


def reducer(locale: str) -> Callable[[str], str]:
    """Return how a locale reduces a word to compare it: singular, or its stem."""
    if locale == DEFAULT_LOCALE:
        return singular
    return lambda word: stem(word, locale)


def forms(words: tuple[str, ...], base: Callable[[str], str] = singular
          ) -> tuple[tuple[str, ...], ...]:
    """Return a phrase as written, then with its last word reduced (singular, stem):
    a lookup tries the word as written first ("gorro" is not "gorra")."""
    return tuple(dict.fromkeys((words, (*words[:-1], base(words[-1]))))) if words else ()


@dataclass(frozen=True)
class Vocabulary:
    """Every word list of one language, keyed by folded phrase (a tuple of words)."""

    locale: str
    filler: frozenset[str]
    in_stock: frozenset[tuple[str, ...]]
    out_of_stock: frozenset[tuple[str, ...]]
    cheap: frozenset[tuple[str, ...]]  # words asking for the cheapest first
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
    written: frozenset[str] = frozenset()  # every word as the lists spell it (folded)
    # Words for one kind of product: searched as text, and narrowing to their category
    # when no category word is given ("chemise": shirts among tops, not shirt dresses).
    kinds: dict[tuple[str, ...], str] = field(default_factory=dict)
    # How the widget names the catalogue's categories and colours in this language.
    labels: dict[str, str] = field(default_factory=dict)

    def base(self, word: str) -> str:
        """Reduce a folded word as this language compares it."""
        return reducer(self.locale)(word)

    def forms(self, words: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
        """Return a phrase as written and with its last word reduced."""
        return forms(words, self.base)

    def is_filler(self, word: str, written: str = "") -> bool:
        """Tell whether a word never narrows a search: listed, or a stop word of the
        language that names nothing ("ante" is suede in Spanish; English keeps its own
        list: "in", "over" also read sizes and prices)."""
        if word in self.filler or self.base(word) in self.filler:
            return True
        return self.locale != DEFAULT_LOCALE and not self.names(word) and (
            stop_word(written or word, self.locale) or stop_word(word, self.locale))

    def names(self, word: str) -> bool:
        """Tell whether a word is a category, colour, synonym or related word."""
        return any(f in table for f in self.forms((word,)) for table in (
            self.categories, self.colors, self.synonyms, self.related, self.kinds))

    def compound(self, word: str) -> tuple[str, str] | None:
        """Split a German compound into two listed words: "lederjacke" -> ("leder",
        "jacke"), "seidenschal" -> ("seide", "schal") (linking -n, -s, -en dropped)."""
        if self.locale != "de" or self.names(word):
            return None
        for at in range(len(word) - MIN_PART, MIN_PART - 1, -1):  # the longest tail first
            head, tail = word[:at], word[at:]
            if not self.names(tail):
                continue
            for link in ("", "s", "n", "en", "e"):
                if head.endswith(link) and self.names(head[:len(head) - len(link)] or "-"):
                    return head[:len(head) - len(link)], tail
        return None

    def known_words(self) -> set[str]:
        """Return every single word the lists use (typos are corrected towards them):
        in English with their singulars, in other languages as written (a stem such as
        "blaz" is no word to correct towards)."""
        if self.locale != DEFAULT_LOCALE:
            return {w for w in self.written if w.isalpha()}
        phrases = [*self.in_stock, *self.out_of_stock, *self.cheap, *self.categories,
                   *self.colors, *self.size_markers, *self.size_words, *self.at_most,
                   *self.at_least, *self.between, *self.synonyms, *self.related]
        words = {w for p in phrases for w in p} | set(self.filler) | set(self.range_joiners)
        for values in (*self.synonyms.values(), *self.related.values()):
            words |= {w for value in values for w in value.split()}
        return {w for w in words if w.isalpha()}


def _set(items, base, locale) -> frozenset[tuple[str, ...]]:
    return frozenset(f for item in items for f in forms(phrase(item, locale), base))


def _keyed(mapping: dict, value, base, locale) -> dict:
    """Key each entry by its reduced form, then by its form as written, which wins."""
    keyed = {forms(phrase(k, locale), base)[-1]: value(v) for k, v in mapping.items()}
    return keyed | {phrase(k, locale): value(v) for k, v in mapping.items()}


@cache
def vocabulary(locale: str = DEFAULT_LOCALE) -> Vocabulary:
    """Read a locale's word list (once per process)."""
    if locale not in LOCALES:
        raise ValueError(f"no word list for the locale {locale!r}")
    data = tomllib.loads(words_file(locale).read_text(encoding="utf-8"))
    base = reducer(locale)
    synonyms: dict[tuple[str, ...], tuple[str, ...]] = {}
    for group in data["synonyms"]["groups"]:
        members = tuple(dict.fromkeys(" ".join(phrase(m, locale)) for m in group))
        for member in group:
            for f in forms(phrase(member, locale), base):
                synonyms[f] = tuple(dict.fromkeys((*synonyms.get(f, ()), *members)))
    categories = {f: category for category, words in data["categories"].items()
                  for word in words for f in forms(phrase(word, locale), base)}
    prices, sizes = data["prices"], data["sizes"]
    filler = {w for item in data["filler"] for w in phrase(item, locale)}
    return Vocabulary(
        locale=locale,
        filler=frozenset(filler | {base(w) for w in filler}),  # "femmes" as "femme"
        in_stock=_set(data["in_stock"], base, locale),
        out_of_stock=_set(data["out_of_stock"], base, locale),
        cheap=_set(data.get("cheap", ()), base, locale),
        categories=categories,
        colors=_keyed(data["colors"], lambda v: tuple(fold(c) for c in v), base, locale),
        size_markers=_set(sizes["markers"], base, locale),
        size_words=_keyed(sizes["words"], str, base, locale),
        at_most=_set(prices["at_most"], base, locale),
        at_least=_set(prices["at_least"], base, locale),
        between=_set(prices["between"], base, locale),
        range_joiners=frozenset(fold(w) for w in prices["range_joiners"]),
        currency=frozenset(fold(w) for w in prices["currency"]),
        synonyms=synonyms,
        related=_keyed(data["related"], lambda v: tuple(" ".join(phrase(x)) for x in v),
                       base, locale),
        written=frozenset(_written(data, locale)),
        kinds=_keyed({word: category for category, words in data.get("kinds", {}).items()
                      for word in words}, str, base, locale),
        labels=dict(data.get("labels", {})),
    )


def _written(data: dict, locale: str) -> set[str]:
    """Return the words of a word list's own language as written (not the English words
    its related table leads to)."""
    lists = [data["filler"], data["in_stock"], data["out_of_stock"], data.get("cheap", ()),
             [w for words in data["categories"].values() for w in words], data["colors"],
             data["sizes"]["markers"], data["sizes"]["words"], data["prices"]["at_most"],
             data["prices"]["at_least"], data["prices"]["between"],
             [m for group in data["synonyms"]["groups"] for m in group], data["related"]]
    return {w for items in lists for item in items for w in phrase(item, locale)}
