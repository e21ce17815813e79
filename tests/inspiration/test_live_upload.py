"""Uploads through a real gunicorn server, streamed without Content-Length."""

from __future__ import annotations

import io

import pytest
import requests
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from .fakes import picture

pytestmark = pytest.mark.live
MIB = 1024 * 1024


def chunked(body: bytes, size: int = 64 * 1024):
    """Yield the body in pieces: requests then sends Transfer-Encoding: chunked."""
    for start in range(0, len(body), size):
        yield body[start:start + size]


def multipart(image: bytes) -> tuple[bytes, str]:
    boundary, body = encode_multipart({"consent": "true", "image": FileStorage(
        io.BytesIO(image), "a.png", content_type="image/png")})
    return body, f"multipart/form-data; boundary={boundary}"


def test_streamed_upload_within_limits_is_accepted(live_server):
    body, content_type = multipart(picture("PNG"))
    response = requests.post(live_server.api("/inspiration"), data=chunked(body, 100),
                             headers={"Content-Type": content_type}, timeout=10)
    assert response.request.headers["Transfer-Encoding"] == "chunked"
    assert response.status_code == 202
    assert response.json()["contentType"] == "image/png"


def test_streamed_body_over_the_limit_is_413(live_server):
    body, content_type = multipart(b"\x89PNG\r\n\x1a\n" + b"\0" * (6 * MIB))
    response = requests.post(live_server.api("/inspiration"), data=chunked(body),
                             headers={"Content-Type": content_type}, timeout=10)
    assert "Content-Length" not in response.request.headers
    assert response.status_code == 413
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "payload_too_large"
