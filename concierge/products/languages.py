"""The shopper's languages as the search engine reads them: tantivy's analysers per locale.

Each of en, fr, de, es has one analyser for its text (words of letters and digits,
lowercase, accents folded, its Snowball stemmer) and tantivy's stop-word list.  The
index (engine.py) analyses a field with its language's analyser; the query parser and
its word lists reduce words with the same stemmer, so "noire" and "noir", "schwarzes"
and "schwarz" are one word to both.
"""

from __future__ import annotations

import re
from functools import cache

import tantivy
from tantivy import Filter, TextAnalyzerBuilder, Tokenizer

from ..i18n import DEFAULT_LOCALE
from ..text import joined

# Locale -> the name tantivy's Stemmer and StopWordFilter know the language by.
SNOWBALL = {"en": "english", "fr": "french", "de": "german", "es": "spanish"}
LONGEST_TOKEN = 40  # characters; longer tokens are left out of the index


# French elides articles and prepositions before a vowel: "robe d'été", "boucles d'oreilles".
_ELISION = {"fr": re.compile(r"\b(?:[ldjcsmnt]|qu)['\u2019](?=[^\W\d_])", re.IGNORECASE)}


def elided(text: str, locale: str) -> str:
    """Drop a language's elided words ("d'été" -> "été"), then the apostrophes inside
    words, as query and index both read a text of that language."""
    found = _ELISION.get(locale)
    return joined(found.sub(" ", text) if found else text)


def elision_length(word: str, locale: str) -> int:
    """Return how many characters an elided word at the start of `word` takes (0: none)."""
    found = _ELISION.get(locale)
    match = found.match(word) if found else None
    return match.end() if match else 0


def analyzer_name(locale: str) -> str:
    """Return the name the index registers a locale's analyser under."""
    return "shop" if locale == DEFAULT_LOCALE else f"shop_{locale}"


def _builder() -> TextAnalyzerBuilder:
    return (TextAnalyzerBuilder(Tokenizer.simple()).filter(Filter.remove_long(LONGEST_TOKEN))
            .filter(Filter.lowercase()).filter(Filter.ascii_fold()))


def plain_analyzer() -> tantivy.TextAnalyzer:
    """Build the analyser of words as typed: lowercase and folded, never stemmed."""
    return _builder().build()


def analyzer(locale: str) -> tantivy.TextAnalyzer:
    """Build a locale's analyser: words, lowercase, folded, stemmed (stop words kept:
    a name such as "The Row Tote" stays whole)."""
    return _builder().filter(Filter.stemmer(SNOWBALL[locale])).build()


@cache
def _shared(locale: str) -> tantivy.TextAnalyzer:
    return analyzer(locale)


@cache
def _stop_filter(locale: str) -> tantivy.TextAnalyzer:
    # Before folding: the lists spell words with their accents ("für", "más").
    return (TextAnalyzerBuilder(Tokenizer.simple()).filter(Filter.lowercase())
            .filter(Filter.stopword(SNOWBALL[locale])).build())


def analyze(text: str, locale: str = DEFAULT_LOCALE) -> list[str]:
    """Return the tokens a locale's analyser makes of a text."""
    return _shared(locale).analyze(text)


def stem(word: str, locale: str) -> str:
    """Reduce one folded word with its language's stemmer ("noires" -> "noir")."""
    found = _shared(locale).analyze(word)
    return found[0] if len(found) == 1 else word


def stop_word(word: str, locale: str) -> bool:
    """Tell whether a word (as written, any case) is on tantivy's stop-word list of the
    locale's language."""
    return bool(word) and not _stop_filter(locale).analyze(word)
