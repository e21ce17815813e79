"""The widget script's words in the active locale, rendered into /widget as a JSON block.

The script calls t("…"), tn("…") and nt("one", "other", n) (static/widget/core.js); `make
messages` extracts those calls into the one catalogue with the pages' and emails' words.
Here the same extraction, run once per script version, names the messages the script
needs, so the page carries only those, only in its own locale (English carries none: the
source strings are the English words), and the first open stays within its byte budget.
"""

from __future__ import annotations

import io
from functools import cache

from babel.messages.extract import extract
from flask_babel import get_translations
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

from ..i18n import current_locale
from .bundle import widget_script, widget_source

KEYWORDS = {"t": None, "tn": None, "nt": (1, 2)}


@cache
def _messages(version: str) -> tuple[str | tuple[str, str], ...]:
    found = (message for _, message, _, _ in extract("javascript", io.BytesIO(widget_source()),
                                                     keywords=KEYWORDS))
    return tuple(dict.fromkeys(found))


@cache
def _block(locale: str, version: str) -> Markup:
    translations, strings = get_translations(), {}
    for message in _messages(version):
        if isinstance(message, tuple):  # (one, other): the two forms of en, fr, de and es
            forms = [translations.ungettext(*message, n) for n in (1, 2)]
            if forms != list(message):
                strings[message[0]] = forms
        elif (said := translations.ugettext(message)) != message:
            strings[message] = said
    if not strings:
        return Markup("")
    # Escapes <, >, & and ' so nothing can end the <script> block early.
    return htmlsafe_json_dumps(strings, ensure_ascii=False, separators=(",", ":"))


def script_strings() -> Markup:
    """Return the widget script's words in this request's locale as JSON ("" in English)."""
    return _block(current_locale(), widget_script()[1])
