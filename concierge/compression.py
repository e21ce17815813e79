"""Compress text answers (brotli or gzip, as the client accepts) with flask-compress."""

from __future__ import annotations

import threading

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
    "COMPRESS_BR_LEVEL": 4,  # the library's default: fast, near gzip -9 size
    "COMPRESS_LEVEL": 6,
    "COMPRESS_MIN_SIZE": 500,  # bytes; smaller answers fit in one packet anyway
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
        """Return the compressed body kept for the key."""
        return self.bodies.get(key)

    def set(self, key: str, body: bytes) -> None:
        """Keep a compressed body, unless its answer is sent once; forget the oldest."""
        if key.endswith(f";{NOT_KEPT}") or key in self.bodies:
            return
        with self.lock:
            while len(self.bodies) >= self.size:
                self.bodies.pop(next(iter(self.bodies)))
            self.bodies[key] = body


def same_body_as(digest: str) -> None:
    """Say that this request's answer is the kept body with this content digest."""
    g.kept_body = digest


def _kept_body_key(_request) -> str:
    return g.get("kept_body", NOT_KEPT)


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
    compress.init_app(app)
    app.after_request(_read_static_file)  # registered after, so it runs before compress


def _read_static_file(response):
    """Read a static file into its answer, so that it is compressed whole.

    Flask streams static files; flask-compress would compress the stream and
    leave the file to the garbage collector.  The widget's files are a few KB.
    """
    if request.endpoint == "static" and response.status_code == 200 and response.is_streamed:
        response.direct_passthrough = False
        response.make_sequence()  # closes the file when the answer is closed
        etag, _weak = response.get_etag()  # names the file's path, size and mtime
        if etag:
            same_body_as(f"static:{etag}")
    return response
