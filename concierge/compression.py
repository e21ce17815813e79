"""Compress text answers (brotli or gzip, as the client accepts) with flask-compress."""

from __future__ import annotations

from flask import Flask, request

from .extensions import compress

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


def init_app(app: Flask) -> None:
    """Compress every text answer the client accepts compressed.

    Registered right after the request hooks, so it runs just before the access
    log (which then records the final status, 304 included) and after every
    other hook has set its headers.
    """
    for name, value in SETTINGS.items():
        app.config.setdefault(name, value)
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
    return response
