"""The widget's script: its journey files under static/widget/, joined in order into one answer.

Each journey is its own classic script (an IIFE over the shared `window.AuroraWidget`
namespace), so joining them is exact: the result runs as the files would one after
another. One answer rather than a `<script defer>` tag per file because each file gzipped
alone loses the words it shares with the others (measured with 17 files: 27.3 KB gzipped
apart, 19.9 KB joined) and a first open pays one request instead of 17; ES modules
would name imported files by plain URL, which can carry no fingerprint without a build
step, and an import map cannot be inline under CSP `script-src 'self'`. The joined script
is minified (rjsmin: comments and spaces out, names kept), which the first open's byte
budget counts on; the files keep their comments for the people who read them.
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
def _joined(folder: Path, stamps: tuple[float, ...]) -> tuple[str, bytes, str]:
    source = "\n".join((folder / name).read_text("utf-8") for name in SCRIPTS)
    data = rjsmin.jsmin(source, keep_bang_comments=False).encode()
    return source, data, hashlib.sha256(data).hexdigest()[:12]


def _current() -> tuple[str, bytes, str]:
    folder = Path(current_app.static_folder)
    return _joined(folder, tuple((folder / name).stat().st_mtime for name in SCRIPTS))


def widget_script() -> tuple[bytes, str]:
    """Return the joined, minified script and its fingerprint (a prefix of its SHA-256)."""
    return _current()[1:]


def widget_source() -> bytes:
    """Return the joined script as written (where its messages are read from)."""
    return _current()[0].encode()
