"""Compress text answers (brotli or gzip, as the client accepts) with flask-compress."""

from __future__ import annotations

import gzip
import threading

import brotli
from flask import Flask, g, request

from .extensions import compress

NOT_KEPT = "-"  # the cache key of an answer sent once: compressed, never kept
KEPT_BODIES = 512  # compressed bodies kept (a few KB each): static files, kept answers

# What is worth compressing: pages, scripts, styles, JSON (errors too) and the
# SVG product pictures.  Images already compressed (PNG, JPEG) are left alone.
TEXT_TYPES = ["text/html", "text/css", "text/plain", "text/javascript",
              "application/javascript", "application/json", "application/problem+json",
              "image/svg+xml"]
SETTINGS = {
    "COMPRESS_MIMETYPES": TEXT_TYPES,
    # Browsers send br; gzip for every other client.
    "COMPRESS_ALGORITHM": ["br", "gzip"],
    # What flask-compress uses, on answers sent once (an order, a hold): the fastest
    # settings, since the cost is paid on every request (brotli 1 cost a tenth of an
    # order lookup's CPU less than the library's default 4, a few bytes more on 1 KB).
    "COMPRESS_BR_LEVEL": 1,
    "COMPRESS_LEVEL": 1,
    "COMPRESS_MIN_SIZE": 500,  # bytes; smaller answers fit in one packet anyway
    # Checked by _answer_conditionally, only where there is something to check.
    "COMPRESS_EVALUATE_CONDITIONAL_REQUEST": False,
}


class KeptBodies:
    """flask-compress's cache: compressed bodies by algorithm and content digest.

    Answers sent again and again (static files, kept searches) are compressed
    once.  The key names the body's content, never the request, so a kept entry
    can only ever stand for the very same bytes; an answer sent once (an order,
    a hold) has no key and is not kept.
    """

    def __init__(self, size: int = KEPT_BODIES):
        self.size = size
        self.bodies: dict[str, bytes] = {}
        self.lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        """Return the compressed body kept for the key; compress it now, at best, if new."""
        found = self.bodies.get(key)
        if found is None:
            algorithm, _, name = key.partition(";")
            kept = g.get("kept_body")
            if kept is not None and kept[0] == name and algorithm in KEPT_LEVELS:
                # Paid once per body and process, then sent many times: a better ratio.
                found = _compress(algorithm, kept[1], KEPT_LEVELS[algorithm][kept[2]])
        return found

    def set(self, key: str, body: bytes) -> None:
        """Keep a compressed body, unless its answer is sent once; forget the oldest."""
        if key.endswith(f";{NOT_KEPT}") or key in self.bodies:
            return
        with self.lock:
            while len(self.bodies) >= self.size:
                self.bodies.pop(next(iter(self.bodies)))
            self.bodies[key] = body


# Levels of bodies compressed once and kept: files get the best ratio (once per
# process: 70 ms for the widget's script, 10 % smaller than level 5); pages and
# kept answers (a new search) a level that costs a few milliseconds at most.
KEPT_LEVELS = {"br": {"static": 11, "answer": 5}, "gzip": {"static": 9, "answer": 6}}


def _compress(algorithm: str, body: bytes, level: int) -> bytes:
    if algorithm == "br":
        return brotli.compress(body, quality=level, mode=brotli.MODE_TEXT)
    return gzip.compress(body, compresslevel=level, mtime=0)


def same_body_as(name: str, body: bytes, kind: str = "answer") -> None:
    """Say that this request's answer is a kept body: `name` names its content.

    `kind` is "static" for files and pages, "answer" for kept API answers.
    """
    g.kept_body = (name, body, kind)


def _kept_body_key(_request) -> str:
    kept = g.get("kept_body")
    return kept[0] if kept is not None else NOT_KEPT


def init_app(app: Flask) -> None:
    """Compress every text answer the client accepts compressed.

    Registered right after the request hooks, so it runs just before the access
    log (which then records the final status, 304 included) and after every
    other hook has set its headers.
    """
    for name, value in SETTINGS.items():
        app.config.setdefault(name, value)
    app.config.setdefault("COMPRESS_CACHE_KEY", _kept_body_key)
    app.config.setdefault("COMPRESS_CACHE_BACKEND", KeptBodies)
    app.after_request(_answer_conditionally)  # registered before, so it runs after compress
    compress.init_app(app)
    app.after_request(_read_static_file)  # registered after, so it runs before compress


def _answer_conditionally(response):
    """Answer 304 when the client holds this compressed answer's ETag (or is up to date).

    flask-compress would evaluate every GET (a third of its cost on an API
    answer, which has no validator to compare); only answers with one need it.
    """
    if (request.method in ("GET", "HEAD") and not response.is_streamed
            and ("ETag" in response.headers or "Last-Modified" in response.headers)):
        response.make_conditional(request)
    return response


def _read_static_file(response):
    """Read a static file into its answer, so that it is compressed whole; name kept bodies.

    Flask streams static files; flask-compress would compress the stream and
    leave the file to the garbage collector.  The widget's files are a few KB.
    An answer with a strong ETag (static files, the widget's page and scripts,
    the loader) is the same body for every request that gets that ETag: it is
    compressed once, at the best level, and kept.
    """
    if response.status_code != 200 or "ETag" not in response.headers:
        return response  # API answers: nothing to read, no validator to name a kept body by
    if request.endpoint == "static" and response.is_streamed:
        response.direct_passthrough = False
        response.make_sequence()  # closes the file when the answer is closed
    etag, weak = response.get_etag()  # static files: their path, size and mtime; else a hash
    if etag and not weak and not response.is_streamed and "kept_body" not in g:
        # Files and fingerprinted scripts get the best ratio; pages, which vary with
        # their parameters (locale, branding), the kept answers' level.
        lasting = request.endpoint == "static" or "immutable" in response.cache_control
        same_body_as(f"etag:{etag}", response.get_data(), "static" if lasting else "answer")
    return response
