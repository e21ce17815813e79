"""Read a search the way a shopper writes it: filters, text terms and corrections."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cache

from ..i18n import DEFAULT_LOCALE
from ..text import fold
from .languages import elision_length
from .vocabulary import Vocabulary, vocabulary

# A number stands alone ("1,200", "40"); letters and digits written together are one
# word, as the index reads them ("Zephyrine971", "501s").
_TOKEN = re.compile(r"(?P<num>\d+(?:[.,]\d+)*(?![^\W_]))|(?P<word>[^\W_]+(?:['\u2019][^\W_]+)*)"
                    "|(?P<sym><=|>=|[$£€<>\\-\u2013])")
LONGEST_PHRASE = 4
TYPO_MIN_LENGTH = 4  # a word this long or longer may carry one typo
PREFIX_MIN_LENGTH = 2


@dataclass(frozen=True)
class Token:
    """One word, number or symbol of the query, folded, with its place in the text."""

    value: str
    kind: str
    start: int
    end: int


@dataclass(frozen=True)
class Catalogue:
    """What the catalogue holds, as the parser needs it."""

    words: dict[str, int]  # folded words of names, descriptions, tags -> products
    categories: frozenset[str]
    colors: frozenset[str]
    sizes: dict[str, str]  # lowercase -> as listed
    sorted_words: tuple[str, ...] = ()

    def has_prefix(self, start: str) -> bool:
        """Tell whether a catalogue word begins with `start`."""
        at = bisect.bisect_left(self.sorted_words, start)
        return at < len(self.sorted_words) and self.sorted_words[at].startswith(start)


@dataclass
class Term:
    """A word searched as text, with the words that mean the same."""

    word: str
    text: str
    alternatives: tuple[str, ...]
    fuzzy: bool = False
    prefix: bool = False
    scored: bool = False  # as a boost: ranks by how much the name is about it
    locale: str = DEFAULT_LOCALE  # the language the shopper wrote it in


@dataclass
class Reading:
    """What a query says: text terms, filters, corrections and the words behind each."""

    terms: list[Term] = field(default_factory=list)
    category: str | None = None
    colors: list[str] = field(default_factory=list)
    sizes: list[str] = field(default_factory=list)
    min_price: int | None = None
    max_price: int | None = None
    in_stock: bool | None = None
    sort: str | None = None  # "price_asc" when the words ask for the cheapest
    corrections: dict[str, str] = field(default_factory=dict)
    parts: list[dict] = field(default_factory=list)


def tokenize(text: str, locale: str = DEFAULT_LOCALE) -> list[Token]:
    """Split a query into folded words, numbers and the symbols prices use (a French
    elided word is left out: "d'été" reads "été")."""
    tokens = []
    for match in _TOKEN.finditer(text):
        kind, start = match.lastgroup, match.start()
        if kind == "sym" and text[start - 1:start].isalpha() \
                and text[match.end():match.end() + 1].isalpha():
            continue  # the hyphen of "t-shirt" joins words; only ranges need dashes
        if kind == "word":
            start += elision_length(match.group(), locale)
        value = re.sub("['\u2019]", "", fold(text[start:match.end()])).replace("\u2013", "-")
        tokens.append(Token(value, kind, start, match.end()))
    return tokens


def amount(token: Token) -> int | None:
    """Return a price written in major units as minor units: "1,200" -> 120000."""
    if token.kind != "num":
        return None
    text = token.value
    if re.fullmatch(r"\d+[.,]\d{1,2}", text):
        return round(float(text.replace(",", ".")) * 100)
    return int(re.sub(r"[.,]", "", text)) * 100


class Parser:
    """Reads one query against the word lists and the catalogue."""

    def __init__(self, text: str, catalogue: Catalogue, words: Vocabulary | None = None,
                 locale: str = DEFAULT_LOCALE):
        self.text, self.catalogue = text, catalogue
        self.words = words or vocabulary(locale)
        self.locale = self.words.locale
        # A shopper writing French may use an English word ("sneakers", "black"): read
        # as written, never corrected towards English.
        self.english = vocabulary() if self.locale != DEFAULT_LOCALE else None
        self.tokens = self._split(tokenize(text, self.locale))
        self.reading = Reading()
        self.categories: list[tuple[str, Term]] = []
        self.kinds: list[str] = []
        self.last_word = max((i for i, t in enumerate(self.tokens) if t.kind == "word"),
                             default=-1)

    def _split(self, tokens: list[Token]) -> list[Token]:
        """Read a compound as its words ("Sommerkleid": "sommer" and "kleid"); both
        keep the compound's place in the text."""
        found = []
        for token in tokens:
            parts = self.words.compound(token.value) if token.kind == "word" else None
            found += [Token(part, "word", token.start, token.end) for part in parts or ()]
            if not parts:
                found.append(token)
        return found

    def parse(self) -> Reading:
        """Walk the tokens left to right, each rule taking the longest phrase it knows."""
        i = 0
        while i < len(self.tokens):
            i += (self._price(i) or self._phrase(i) or self._size(i) or self._single(i))
        self._settle_category()
        self.reading.parts.sort(key=lambda part: self.text.find(part["text"]))
        return self.reading

    # -- helpers ----------------------------------------------------------------------
    def _span(self, i: int, n: int) -> str:
        return self.text[self.tokens[i].start:self.tokens[i + n - 1].end]

    def _words(self, i: int, n: int) -> tuple[str, ...] | None:
        chunk = self.tokens[i:i + n]
        if len(chunk) < n:
            return None
        return tuple(t.value for t in chunk)

    def _match(self, i: int, phrases) -> int:
        """Return the length of the longest phrase of `phrases` starting at token i."""
        for n in range(LONGEST_PHRASE, 0, -1):
            words = self._words(i, n)
            if words and any(f in phrases for f in self.words.forms(words)):
                return n
        return 0

    def _lookup(self, i: int, n: int, table: dict):
        return next((table[f] for f in self.words.forms(self._words(i, n)) if f in table),
                    None)

    def _part(self, name: str, value, i: int, n: int) -> None:
        self.reading.parts.append({"field": name, "value": value, "text": self._span(i, n)})

    # -- rules ------------------------------------------------------------------------
    def _money(self, i: int) -> tuple[int | None, int]:
        """Read "$100", "100 dollars", "100" at token i: (minor units, tokens used)."""
        used = 0
        if i < len(self.tokens) and self.tokens[i].value in self.words.currency:
            used += 1
        value = amount(self.tokens[i + used]) if i + used < len(self.tokens) else None
        if value is None:
            return None, 0
        used += 1
        if i + used < len(self.tokens) and (
                self.tokens[i + used].value in self.words.currency
                or self.words.base(self.tokens[i + used].value) in self.words.currency):
            used += 1
        return value, used

    def _price(self, i: int) -> int:
        r, words = self.reading, self.words
        for kind in ("between", "at_most", "at_least", None):
            n = self._match(i, getattr(words, kind)) if kind else 0
            if kind and not n:
                continue
            low, used = self._money(i + n)
            if low is None:
                continue
            j = i + n + used
            if kind in ("between", None) and j < len(self.tokens) \
                    and self.tokens[j].value in words.range_joiners:
                high, more = self._money(j + 1)
                if high is not None:
                    r.min_price, r.max_price = min(low, high), max(low, high)
                    self._part("price", {"minPrice": r.min_price, "maxPrice": r.max_price},
                               i, j + 1 + more - i)
                    return j + 1 + more - i
            if kind == "at_most" or (kind is None and used > 1):
                r.max_price = low  # "$100" alone is a budget
                self._part("maxPrice", low, i, n + used)
                return n + used
            if kind in ("at_least", "between"):
                r.min_price = low
                self._part("minPrice", low, i, n + used)
                return n + used
        return 0

    def _phrase(self, i: int) -> int:
        words = self.words
        for n in range(LONGEST_PHRASE, 0, -1):
            if not self._words(i, n):
                continue
            said = words.forms(self._words(i, n))
            if any(f in words.in_stock or f in words.out_of_stock for f in said):
                self.reading.in_stock = any(f in words.in_stock for f in said)
                self._part("inStock", self.reading.in_stock, i, n)
                return n
            if any(f in words.cheap for f in said):
                self.reading.sort = "price_asc"
                self._part("sort", "price_asc", i, n)
                return n
            colors = self._lookup(i, n, words.colors) or self._catalogue_color(i, n)
            if colors:
                self._add_colors(colors, i, n)
                return n
            size = self._lookup(i, n, words.size_words)
            if size and n > 1:
                self._add_size(size, i, n)
                return n
            if n > 1 and (self._lookup(i, n, words.synonyms)
                          or self._lookup(i, n, words.related)):
                self._term(" ".join(self._words(i, n)), i, n)
                return n
        return 0

    def _catalogue_color(self, i: int, n: int) -> tuple[str, ...] | None:
        name = " ".join(self._words(i, n))
        return (name,) if name in self.catalogue.colors else None

    def _size(self, i: int) -> int:
        marker = self._match(i, self.words.size_markers)
        if not marker or i + marker >= len(self.tokens):
            return 0
        for n in range(LONGEST_PHRASE, 0, -1):
            words = self._words(i + marker, n)
            if not words:
                continue
            size = self.catalogue.sizes.get(" ".join(words)) or self._lookup(
                i + marker, n, self.words.size_words)
            if size is None and n == 1 and self._words(i, marker) == ("size",):
                size = self.tokens[i + marker].value.upper()  # "size 8": a size, even unlisted
            if size:
                self._add_size(size, i, marker + n)
                return marker + n
        return 0

    def _single(self, i: int) -> int:
        token = self.tokens[i]
        if token.kind == "sym":
            return 1
        if token.kind == "num":
            size = self.catalogue.sizes.get(token.value)
            if size:
                self._add_size(size, i, 1)
            else:
                self._term(token.value, i, 1)
            return 1
        self._classify(token.value, i, guess=True)
        return 1

    def _classify(self, word: str, i: int, guess: bool) -> None:
        """Turn one word into a filter, a text term, or nothing (filler)."""
        words, catalogue, english = self.words, self.catalogue, self.english
        single = words.base(word)
        if words.is_filler(word, self._span(i, 1) if guess else word):
            return None
        colors = self._lookup(i, 1, words.colors) if guess else words.colors.get((word,))
        if not colors and english and guess:
            colors = english.colors.get((word,))
        if colors or word in catalogue.colors:
            return self._add_colors(colors or (word,), i, 1)
        category = words.categories.get((word,)) or words.categories.get((single,))
        if category is None and english and guess:
            category = english.categories.get((word,)) or english.categories.get(
                (english.base(word),))
        if category is None and (word in catalogue.categories or english_base(word) in {
                english_base(c) for c in catalogue.categories}):
            category = next(c for c in catalogue.categories
                            if english_base(c) == english_base(word) or c == word)
        if category:
            self.categories.append((category, self._make_term(word, i)))
            return None
        if len(word) > 1 and word in catalogue.sizes:  # "XS", "XL": never a word
            return self._add_size(catalogue.sizes[word], i, 1)
        if guess and not self._known(word):
            return self._unknown(word, i)
        self._term(word, i, 1)
        return None

    def _unknown(self, word: str, i: int) -> None:
        last = i == self.last_word and len(word) >= PREFIX_MIN_LENGTH
        if last and self.catalogue.has_prefix(word):
            return self._term(word, i, 1, prefix=True)
        correction = (correct(word, self._frequency, self.words.base, plural=not self.english)
                      if len(word) >= TYPO_MIN_LENGTH else None)
        if correction:
            self.reading.corrections[self.tokens[i].value] = correction
            before = len(self.reading.terms)
            self._classify(correction, i, guess=False)
            if len(self.reading.terms) > before:
                self.reading.terms[-1].fuzzy = True
                self.reading.terms[-1].prefix = last
            elif self.categories and self.categories[-1][1].text == self._span(i, 1):
                self.categories[-1][1].fuzzy = True
            return None
        return self._term(word, i, 1, fuzzy=len(word) >= TYPO_MIN_LENGTH, prefix=last)

    def _known(self, word: str) -> bool:
        if self.words.names(word):
            return True  # a listed word, reduced ("woll" of "Wollmantel")
        if self.english and (word in self.catalogue.words or word in _known_words(
                DEFAULT_LOCALE)):
            return True  # an English or catalogue word, as written
        return self._frequency(word) > 0 or self._frequency(self.words.base(word)) > 0

    def _frequency(self, word: str) -> int:
        """Count a word towards which typos are corrected: in English the catalogue's
        words and the word lists; in another language only that language's lists."""
        if self.english:
            return int(word in _known_words(self.locale))
        found = self.catalogue.words.get(word, 0)
        return found or int(word in _known_words(self.locale))

    def _make_term(self, word: str, i: int, n: int = 1, **flags) -> Term:
        words = self.words
        key = tuple(word.split())
        group = self._group(key, words.synonyms) or (word,)
        related = self._group(key, words.related) or ()
        alternatives = tuple(dict.fromkeys((word, *group, *related)))
        return Term(word, self._span(i, n), alternatives, locale=self.locale, **flags)

    def _group(self, key: tuple[str, ...], table: dict) -> tuple[str, ...] | None:
        return next((table[f] for f in self.words.forms(key) if f in table), None)

    def _term(self, word: str, i: int, n: int, **flags) -> None:
        term = self._make_term(word, i, n, **flags)
        self.reading.terms.append(term)
        self._part("terms", word, i, n)
        kind = self._group(tuple(word.split()), self.words.kinds)
        if kind:
            self.kinds.append(kind)

    def _add_colors(self, colors, i: int, n: int) -> None:
        self.reading.colors.extend(c for c in colors if c not in self.reading.colors)
        self._part("colors", list(colors), i, n)

    def _add_size(self, size: str, i: int, n: int) -> None:
        if size not in self.reading.sizes:
            self.reading.sizes.append(size)
        self._part("sizes", [size], i, n)

    def _settle_category(self) -> None:
        """The last category word names the category; other category words stay text.
        Without one, words for one kind of product name theirs when they agree."""
        if not self.categories:
            if len(set(self.kinds)) == 1:
                self.reading.category = self.kinds[0]
            return
        chosen, term = self.categories[-1]
        self.reading.category = chosen
        self.reading.parts.append({"field": "category", "value": chosen, "text": term.text})
        for category, other in self.categories[:-1]:
            if category != chosen:
                self.reading.terms.append(other)
                self.reading.parts.append({"field": "terms", "value": other.word,
                                           "text": other.text})


@cache
def _known_words(locale: str) -> frozenset[str]:
    return frozenset(vocabulary(locale).known_words())


def english_base(word: str) -> str:
    """Reduce a catalogue word (the store writes English) to its singular."""
    return vocabulary().base(word)


def edits(word: str) -> set[str]:
    """Return every string one deletion, swap, change or insertion away from `word`."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(word[:k], word[k:]) for k in range(len(word) + 1)]
    return ({a + b[1:] for a, b in splits if b}
            | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
            | {a + c + b[1:] for a, b in splits if b for c in letters}
            | {a + c + b for a, b in splits for c in letters}) - {word}


def correct(word: str, frequency, base=None, plural: bool = True) -> str | None:
    """Return the most common known word one typo away from `word` (or its reduced form,
    given back in the plural when `plural` and the word was one)."""
    base = base or english_base
    for candidate in dict.fromkeys((word, base(word))):
        found = [e for e in edits(candidate) if frequency(e) > 0]
        if found:
            # Most common word first (plural and singular counted as one), then the one
            # ending as typed ("dreses" -> "dresses", not "dress").
            best = max(found, key=lambda e: (max(frequency(e), frequency(base(e))),
                                             e[-2:] == candidate[-2:], -len(e), e))
            if candidate != word and plural:  # "sneekers" -> "sneaker" -> "sneakers"
                best += "es" if best.endswith(("s", "x", "z", "ch", "sh")) else "s"
            return best
    return None


def parse(text: str, catalogue: Catalogue, locale: str = DEFAULT_LOCALE) -> Reading:
    """Read a shopper's query, written in a locale's language, against the catalogue."""
    return Parser(text, catalogue, locale=locale).parse()
