"""The store's own words in the widget: its name and an order number as it looks.

Each has a default setting and, optionally, one per locale (CONCIERGE_STORE_NAME_FR...);
the shopper's locale picks its own when the store gave one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..config import ConfigError
from ..i18n import DEFAULT_LOCALE, LOCALES
from .branding import text

NAME_MAX = 60
# What a shopper types as an order number: the store's own look (#1001, GG-11982, A 2231).
_ORDER_EXAMPLE = re.compile(r"^#?[A-Za-z0-9][A-Za-z0-9 _-]{0,30}[A-Za-z0-9]$")
SETTINGS = {"name": "CONCIERGE_STORE_NAME", "order_example": "CONCIERGE_ORDER_EXAMPLE"}


def order_example(value: str | None) -> str | None:
    """Return an order number example (2-32 characters, an optional leading #), or None."""
    value = (value or "").strip()
    return value if _ORDER_EXAMPLE.match(value) else None


PARSERS = {"name": lambda v: text(v, NAME_MAX), "order_example": order_example}


def _variable(name: str, locale: str) -> str:
    return name if locale == DEFAULT_LOCALE else f"{name}_{locale.upper()}"


@dataclass(frozen=True)
class StoreWords:
    """The words the widget shows in one locale, each already valid."""

    name: str
    order_example: str


def for_locale(settings, locale: str) -> StoreWords:
    """Return the store's words in `locale`: its own setting when given, else the default."""
    chosen = {}
    for key, name in SETTINGS.items():
        own = getattr(settings, _variable(name, locale), "") if locale in LOCALES else ""
        chosen[key] = PARSERS[key](own or getattr(settings, name))
    return StoreWords(**chosen)


def check(settings) -> None:
    """Refuse to start on a store word that would be ignored (the default ones are required)."""
    for key, name in SETTINGS.items():
        for locale in LOCALES:
            variable = _variable(name, locale)
            raw = getattr(settings, variable)
            if (raw or locale == DEFAULT_LOCALE) and PARSERS[key](raw) is None:
                rule = (f"one line of 1-{NAME_MAX} characters" if key == "name" else
                        "2-32 letters, digits, spaces, - or _, after an optional #")
                raise ConfigError(f"{variable}: {raw!r} is not valid; give {rule}.")
