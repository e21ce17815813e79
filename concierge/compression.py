"""Compress text answers (brotli or gzip, as the client accepts).

flask-compress compresses each answer that is made once (an order, a hold)
at a fast level.  An answer with a strong ETag (static files, the widget's
page, its fingerprinted script, the loader) is the same body for every request
that gets that ETag: it is compressed here once, at a better level, and kept.
"""

from __future__ import annotations

import functools
import gzip
import threading

import brotli
from flask import Flask, current_app, request
from werkzeug.http import parse_accept_header

from .extensions import compress

KEPT_BODIES = 512  # compressed bodies kept (a few KB each)
ALGORITHMS = ["br", "gzip"]  # browsers send br; gzip for every other client
# What is worth compressing: pages, scripts, styles, JSON (errors too) and the
# SVG product pictures.  Images already compressed (PNG, JPEG) are left alone.
TEXT_TYPES = ["text/html", "text/css", "text/plain", "text/javascript",
              "application/javascript", "application/json", "application/problem+json",
              "image/svg+xml"]
# Request headers make_conditional compares (or ranges it serves) in WSGI's names.
CONDITIONS = frozenset({"HTTP_IF_NONE_MATCH", "HTTP_IF_MATCH", "HTTP_IF_MODIFIED_SINCE",
                        "HTTP_IF_UNMODIFIED_SINCE", "HTTP_IF_RANGE", "HTTP_RANGE"})
MIN_SIZE = 500  # bytes; smaller answers fit in one packet anyway
SETTINGS = {
    "COMPRESS_MIMETYPES": TEXT_TYPES,
    "COMPRESS_ALGORITHM": ALGORITHMS,
    # Answers made once pay the compression on every request: the fastest level.
    "COMPRESS_BR_LEVEL": 1,
    "COMPRESS_LEVEL": 1,
    "COMPRESS_MIN_SIZE": MIN_SIZE,
    # Answers with a validator are compressed, and their condition evaluated, by
    # _send_kept_body; the others have nothing to compare.
    "COMPRESS_EVALUATE_CONDITIONAL_REQUEST": False,
    # One hook (_send_compressed) sends a kept body or hands the answer to flask-compress: a kept
    # answer skips flask-compress's second reading of Accept-Encoding and Content-Type.
    "COMPRESS_REGISTER": False,
}
# Levels of kept bodies: files get the best ratio (paid once per process); pages,
# which vary with their parameters (locale, branding), a level costing a few ms at most.
KEPT_LEVELS = {"br": {"file": 11, "page": 5}, "gzip": {"file": 9, "page": 6}}


class KeptBodies:
    """Bodies compressed once, by algorithm and strong ETag; the oldest forgotten first."""

    def __init__(self, size: int = KEPT_BODIES):
        self.size = size
        self.bodies: dict[tuple[str, str], bytes] = {}
        self.lock = threading.Lock()

    def compressed(self, algorithm: str, etag: str, body: bytes, level: int) -> bytes:
        """Return the body compressed with `algorithm`, compressing it only the first time."""
        key = (algorithm, etag)
        found = self.bodies.get(key)
        if found is None:
            found = _compress(algorithm, body, level)
            with self.lock:
                while len(self.bodies) >= self.size:
                    self.bodies.pop(next(iter(self.bodies)))
                self.bodies[key] = found
        return found


def _compress(algorithm: str, body: bytes, level: int) -> bytes:
    if algorithm == "br":
        return brotli.compress(body, quality=level, mode=brotli.MODE_TEXT)
    return gzip.compress(body, compresslevel=level, mtime=0)


def _send_compressed(response):
    """Compress the answer: a kept body when it has a strong ETag, else by flask-compress."""
    # Read in one pass: werkzeug raises (and catches) an exception for each header asked
    # for and missing.
    headers = {name.lower(): value for name, value in response.headers.items()}
    kept = _send_kept_body(response, headers)
    if kept is None:
        return compress.after_request(response)
    vary = headers.get("vary")  # as flask-compress says it on every answer
    if not vary:
        kept.headers["Vary"] = "Accept-Encoding"
    elif "accept-encoding" not in vary.lower():
        kept.headers["Vary"] = f"{vary}, Accept-Encoding"
    return kept


def _send_kept_body(response, headers: dict[str, str]):
    """Send a body with a strong ETag compressed from the kept ones; answer 304 if current.

    `headers` are the answer's, names in lower case.  Return None when the answer has no
    such body (flask-compress's to compress).
    """
    if (request.method not in ("GET", "HEAD") or response.status_code != 200
            or response.mimetype not in TEXT_TYPES or "content-encoding" in headers):
        return None
    etag, weak = response.get_etag()
    algorithm = _best_algorithm(request.environ.get("HTTP_ACCEPT_ENCODING", ""))
    if not etag or weak or algorithm is None:
        return None
    if response.is_streamed:  # a static file: read it whole (a few KB), closing it after
        response.direct_passthrough = False
        response.make_sequence()
    body = response.get_data()
    if len(body) < MIN_SIZE:
        return None
    lasting = request.endpoint == "static" or "immutable" in headers.get("cache-control", "")
    level = KEPT_LEVELS[algorithm]["file" if lasting else "page"]
    kept = current_app.extensions["concierge_kept_bodies"]
    response.set_data(kept.compressed(algorithm, etag, body, level))
    response.headers["Content-Encoding"] = algorithm
    # As flask-compress names its compressed bodies: a distinct validator per encoding.
    response.set_etag(f"{etag}:{algorithm}")
    if not CONDITIONS.intersection(request.environ):
        return response  # nothing to compare: the common case, spared werkzeug's checks
    return response.make_conditional(request)


@functools.lru_cache(maxsize=256)
def _best_algorithm(accept_encoding: str) -> str | None:
    """Return the algorithm to send for this Accept-Encoding (clients send a handful)."""
    return parse_accept_header(accept_encoding).best_match(ALGORITHMS)


def init_app(app: Flask) -> None:
    """Compress every text answer the client accepts compressed."""
    for name, value in SETTINGS.items():
        app.config.setdefault(name, value)
    app.extensions["concierge_kept_bodies"] = KeptBodies()
    compress.init_app(app)
    app.after_request(_send_compressed)
