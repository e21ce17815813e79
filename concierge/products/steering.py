"""The store's own search words and rules, as each worker applies them.

Synonyms and rules live in MongoDB (searchSynonyms, searchRules); every write bumps the
steering's change counter (catalog_version.STEERING) after it lands.  Each worker keeps a
snapshot and, at most every SEARCH_REFRESH_MS, reads the counter (one document by _id);
only when it moved does it read the synonyms and rules again.  So a change reaches every
worker within one interval, and a quiet store costs one document read per interval.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from ..text import normal_name
from . import repository
from .refreshed import Refreshed
from .vocabulary import Vocabulary, forms, phrase, vocabulary


@dataclass(frozen=True)
class Steer:
    """What the rules say for one search: products first, in order, and products never."""

    pin: tuple[str, ...] = ()
    hide: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.pin or self.hide)


@dataclass
class Snapshot:
    """The store's synonyms and rules as read at one value of the change counter."""

    version: int = 0
    synonyms: list[dict] = field(default_factory=list)
    rules: dict[str, list[dict]] = field(default_factory=dict)  # normal query -> rules
    _words: dict[str, Vocabulary] = field(default_factory=dict)

    def words(self, locale: str) -> Vocabulary:
        """Return the locale's word lists with the store's synonyms beside the built-in
        ones (its sets for every locale and for this one)."""
        if locale not in self._words:
            sets = [s for s in self.synonyms if s.get("locale") in (None, locale)]
            self._words[locale] = with_synonyms(vocabulary(locale), sets)
        return self._words[locale]

    def steer(self, query: str, at: datetime) -> Steer:
        """Return what the rules in force at `at` say for a search of these words."""
        if not self.rules:  # most stores, most of the time: no need to normalise the words
            return Steer()
        pin: list[str] = []
        hide: set[str] = set()
        for rule in self.rules.get(normal_name(query), ()):
            if in_force(rule, at):
                pin += [sku for sku in rule["pin"] if sku not in pin]
                hide |= set(rule["hide"])
        return Steer(tuple(sku for sku in pin if sku not in hide), frozenset(hide))


def in_force(rule: dict, at: datetime) -> bool:
    """Tell whether a rule applies at `at` (from startsAt, until endsAt)."""
    starts, ends = rule.get("startsAt"), rule.get("endsAt")
    return (starts is None or starts <= at) and (ends is None or at < ends)


def with_synonyms(words: Vocabulary, sets: list[dict]) -> Vocabulary:
    """Return the word lists with these synonym sets added: a group's words each find
    the others; a one-way entry's word also finds its targets, not the reverse.  A word
    standing for a category or kind word ("frusque" for "robe") names that category too."""
    if not sets:
        return words
    locale = words.locale
    synonyms, categories, kinds = dict(words.synonyms), dict(words.categories), dict(words.kinds)

    def named(table: dict, members: tuple[str, ...]):
        return next((table[f] for m in members for f in forms(tuple(m.split()), words.base)
                     if f in table), None)

    def add(keys: list[str], members: tuple[str, ...]) -> None:
        category, kind = named(words.categories, members), named(words.kinds, members)
        for key in keys:
            for form in forms(phrase(key, locale), words.base):
                synonyms[form] = tuple(dict.fromkeys((*synonyms.get(form, ()), *members)))
                if category and form not in words.categories:
                    categories[form] = category
                if kind and form not in words.kinds:
                    kinds[form] = kind

    for found in sets:
        for group in found.get("groups") or ():
            add(group, tuple(dict.fromkeys(" ".join(phrase(m, locale)) for m in group)))
        for entry in found.get("oneWay") or ():
            add([entry["from"]], tuple(dict.fromkeys(
                " ".join(phrase(m, locale)) for m in (entry["from"], *entry["to"]))))
    return replace(words, synonyms=synonyms, categories=categories, kinds=kinds)


def read() -> Snapshot:
    """Read the store's synonyms and rules (the counter first: a write landing meanwhile
    moves it again, and the next look reads once more)."""
    version = repository.steering_changes()
    rules: dict[str, list[dict]] = {}
    for rule in repository.all_rules():
        rules.setdefault(normal_name(rule["query"]), []).append(rule)
    return Snapshot(version, repository.all_synonyms(), rules)


class Steering(Refreshed):
    """One process's snapshot of the store's synonyms and rules, and how fresh it is."""

    what = "search synonyms and rules"
    snapshot: Snapshot

    def current(self) -> Snapshot:
        """Return the snapshot, read on first use and again when the counter moved."""
        self.ensure_fresh()
        return self.snapshot

    def load(self) -> None:
        """Read the synonyms and rules."""
        self.snapshot = read()

    def expire(self) -> None:
        """Look at the counter on the next use (this process just wrote)."""
        self.checked = float("-inf")

    def refresh(self) -> bool:
        """Read the synonyms and rules again if the counter moved; return whether it did."""
        self.checked = self.clock()
        if repository.steering_changes() == self.snapshot.version:
            return False
        self.snapshot = read()
        return True
