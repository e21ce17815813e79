"""The widget's script: its journey files under static/widget/, joined in order into one answer.

Each journey is its own classic script (an IIFE over the shared `window.AuroraWidget`
namespace), so joining them is exact: the result runs as the files would one after
another. One answer rather than a `<script defer>` tag per file because each file gzipped
alone loses the words it shares with the others (measured with 17 files: 27.3 KB gzipped
apart, 19.9 KB joined) and a first open pays one request instead of 17; ES modules
would name imported files by plain URL, which can carry no fingerprint without a build
step, and an import map cannot be inline under CSP `script-src 'self'`. Each file is
minified with rjsmin (whitespace and comments only; names and strings stay as written),
as the loader is: the comments are for maintainers, and the first open's byte budget
(tests/browser/test_budgets.py) is for shoppers.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import rjsmin
from flask import current_app

# The order they run in: core first, main (which starts the widget) last, every file
# after the files whose helpers it takes when it runs.
SCRIPTS = tuple(f"widget/{name}.js" for name in (
    "core", "dom", "errors", "navigation", "carry", "csat", "shortlist", "products", "orders",
    "returns", "capsules", "stylist", "inspiration", "updates", "feedback", "human", "main"))


@cache
def _joined(folder: Path, stamps: tuple[float, ...]) -> tuple[bytes, str]:
    data = b"\n".join(f"/* {name} */\n".encode() + minified((folder / name).read_text("utf-8"))
                      for name in SCRIPTS)
    return data, hashlib.sha256(data).hexdigest()[:12]


def minified(script: str) -> bytes:
    """Return one journey file without its comments and spare whitespace."""
    return rjsmin.jsmin(script, keep_bang_comments=False).encode()


def widget_sources() -> bytes:
    """Return the journey files as written, joined (for reading their t() calls)."""
    folder = Path(current_app.static_folder)
    return b"\n".join((folder / name).read_bytes() for name in SCRIPTS)


def widget_script() -> tuple[bytes, str]:
    """Return the joined script and its fingerprint (a prefix of its SHA-256)."""
    folder = Path(current_app.static_folder)
    return _joined(folder, tuple((folder / name).stat().st_mtime for name in SCRIPTS))
