"""Languages: the shopper's locale, negotiated once per request, and the catalogues.

The catalogues live in concierge/translations (see docs/languages.md); Flask-Babel
loads each locale's once per process and asks `select_locale` only when a view,
template or email actually needs the locale, so API calls that show no words pay
nothing for it.
"""

from __future__ import annotations

import functools

from babel import Locale, negotiate_locale
from flask import Flask, has_request_context, request
from flask_babel import get_locale
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from .extensions import babel

# Every locale has a complete catalogue (tests/test_i18n.py checks it); the first is the
# source language and the fallback.
LOCALES = ("en", "fr", "de", "es")
DEFAULT_LOCALE = LOCALES[0]
# A language tag is at most this long (RFC 5646's longest registered ones fit).
TAG_MAX_LENGTH = 35


@functools.lru_cache(maxsize=256)  # shoppers send few distinct Accept-Language headers
def _negotiated(wishes: tuple[str, ...]) -> str:
    found = negotiate_locale([w.replace("_", "-").lower() for w in wishes], LOCALES, sep="-")
    return found or DEFAULT_LOCALE


# Parsed once: Locale.parse reads the locale's data file, a file system call per request.
_PARSED = {tag: Locale.parse(tag) for tag in LOCALES}


def negotiate(asked: str | None, accepted: list[str]) -> str:
    """Choose a locale: the asked tag (fr, fr-CA, fr_FR), then Accept-Language, else en.

    Each wish is tried in order, its language alone after the full tag, so
    `es-MX, en;q=0.5` is answered in Spanish.
    """
    wishes = [asked.strip()] if asked else []
    wishes += accepted
    return _negotiated(tuple(wishes))


def request_locale(asked: str | None) -> str:
    """Choose the request's locale: the asked tag, then its Accept-Language header, else en."""
    return _header_locale(asked or "", request.environ.get("HTTP_ACCEPT_LANGUAGE", ""))


@functools.lru_cache(maxsize=256)
def _header_locale(asked: str, header: str) -> str:
    # Kept by the raw header: a repeated request parses nothing. Werkzeug orders the
    # header's languages by quality.
    return negotiate(asked or None, parse_accept_header(header, LanguageAccept).values())


def select_locale() -> Locale | None:
    """Give Flask-Babel the request's locale: ?locale=, then Accept-Language, else en."""
    if not has_request_context():
        return None  # the outbox worker: each email forces its shopper's locale
    return _PARSED[request_locale(request.args.get("locale"))]


def current_locale() -> str:
    """Return the active locale's tag (en, fr, de or es)."""
    return str(get_locale() or DEFAULT_LOCALE)


def stored_locale(record: dict) -> str:
    """Return the locale saved on a record (older records have none: en)."""
    locale = record.get("locale")
    return locale if locale in LOCALES else DEFAULT_LOCALE


def init_app(app: Flask) -> None:
    """Bind Flask-Babel: catalogues from concierge/translations, our locale selector."""
    babel.init_app(app, default_locale=DEFAULT_LOCALE, locale_selector=select_locale)
