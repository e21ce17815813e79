"""Every error code the widget's endpoints can answer has the widget's own translated words."""

from __future__ import annotations

import re
from pathlib import Path

ERRORS_JS = Path(__file__).resolve().parents[2] / "static" / "widget" / "errors.js"
# Answered by their own code path in errors.js rather than a sentence of MESSAGES.
HANDLED_APART = {"concierge_disabled", "rate_limited", "duplicate_hold"}
# The shopper's widget never calls these (the store's systems and staff do).
NOT_THE_WIDGETS = ("/api/concierge/merchant", "/api/concierge/admin",
                   "/api/concierge/integrations")


def widget_words() -> dict[str, str]:
    """Return errors.js's MESSAGES: code -> the message id it passes to t()."""
    block = ERRORS_JS.read_text().split("var MESSAGES", 1)[1].split("};", 1)[0]
    return dict(re.findall(r'^\s+(\w+): t\("([^"]+)"\)', block, re.M))


def test_each_code_of_the_widgets_endpoints_has_a_translated_sentence(spec):
    codes = {code for path, operations in spec["paths"].items()
             if not path.startswith(NOT_THE_WIDGETS)
             for operation in operations.values()
             for response in operation["responses"].values()
             for code in response.get("x-codes", [])}
    assert codes  # the document lists them
    assert sorted(codes - set(widget_words()) - HANDLED_APART) == []


def test_the_widgets_error_sentences_are_in_the_catalogue():
    catalogue = (Path(__file__).resolve().parents[2] / "concierge" / "translations"
                 / "messages.pot").read_text()
    missing = [m for m in widget_words().values() if f'msgid "{m}"' not in catalogue]
    assert missing == []
