"""The store's stated reply time and office hours, per locale where the store gives one.

CONCIERGE_REPLY_TIME and CONCIERGE_OFFICE_HOURS take plain text ("within 4 hours"),
said in every language, or entries separated by `|` with a locale prefix for the
languages the store writes in: `within one working day|fr=sous un jour ouvré`.
An entry without a prefix is the text of every other language. Without a reply
time the widget says our own "within one working day" in the shopper's language;
without office hours it states none.
"""

from __future__ import annotations

import re
from functools import cache

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from ..config import ConfigError
from ..i18n import LOCALES

REPLY_TIME_MAX, OFFICE_HOURS_MAX = 80, 120
DEFAULT_REPLY_TIME = _l("within one working day")
_PREFIX = re.compile(r"^([a-z]{2})\s*=\s*(.*)$", re.S)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@cache
def parse(name: str, raw: str, limit: int) -> dict[str, str]:
    """Read a per-locale setting into {locale or "": text}; raise ConfigError if unusable."""
    found: dict[str, str] = {}
    for entry in (part.strip() for part in raw.split("|")):
        if not entry:
            continue
        match = _PREFIX.match(entry)
        locale, text = (match.group(1), match.group(2).strip()) if match else ("", entry)
        if locale and locale not in LOCALES:
            raise ConfigError(f"{name}: {locale!r} is not a locale of the widget "
                              f"({', '.join(LOCALES)}).")
        if not text or len(text) > limit or _CONTROL.search(text):
            raise ConfigError(f"{name}: each text must be one line of 1 to {limit} "
                              f"characters (got {text!r}).")
        if locale in found:
            raise ConfigError(f"{name}: {locale or 'the default'} is given "
                              "twice.")
        found[locale] = text
    return found


def _pick(texts: dict[str, str], locale: str) -> str | None:
    return texts.get(locale) or texts.get("")


def reply_time(settings, locale: str) -> str:
    """Return the store's reply time in this locale (ours, translated, when it set none)."""
    texts = parse("CONCIERGE_REPLY_TIME", settings.CONCIERGE_REPLY_TIME, REPLY_TIME_MAX)
    chosen = _pick(texts, locale)
    if chosen:
        return chosen
    with force_locale(locale):
        return str(DEFAULT_REPLY_TIME)


def office_hours(settings, locale: str) -> str | None:
    """Return the store's office hours in this locale, or None when it states none."""
    return _pick(parse("CONCIERGE_OFFICE_HOURS", settings.CONCIERGE_OFFICE_HOURS,
                       OFFICE_HOURS_MAX), locale)


def check(settings) -> None:
    """Refuse to start on a reply time or office hours the widget could not show."""
    parse("CONCIERGE_REPLY_TIME", settings.CONCIERGE_REPLY_TIME, REPLY_TIME_MAX)
    parse("CONCIERGE_OFFICE_HOURS", settings.CONCIERGE_OFFICE_HOURS, OFFICE_HOURS_MAX)
