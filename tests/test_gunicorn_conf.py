"""The gunicorn settings every server uses: start-up checks and the server's own limits."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from .support.live import ROOT, free_port

pytestmark = pytest.mark.slow  # starts gunicorn processes


def test_server_refuses_to_start_with_a_short_admin_token_in_one_clear_line():
    gunicorn = Path(sys.executable).with_name("gunicorn")
    env = {**os.environ, "MONGO_URI": "", "CONCIERGE_ADMIN_TOKEN": "short-token"}
    result = subprocess.run(
        [str(gunicorn), "--bind", f"127.0.0.1:{free_port()}",
         "-c", "python:concierge.gunicorn_conf", "wsgi:app"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    refusal = [line for line in result.stderr.splitlines() if "will not start" in line]
    assert refusal == ["Aurora Concierge will not start: CONCIERGE_ADMIN_TOKEN is too short "
                       "(11 characters): use at least 24, e.g. the output of `python -c "
                       "'import secrets; print(secrets.token_urlsafe(32))'`, or leave it unset "
                       "to switch the admin endpoints off."]
    assert "Traceback" not in result.stderr


def raw_request(url: str, request: bytes) -> bytes:
    """Send bytes to the server and return everything it answers."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.parametrize(("request_bytes", "status"), [
    (b"GET /api/concierge/health?q=" + b"a" * 4100 + b" HTTP/1.1\r\nHost: x\r\n\r\n", b"414"),
    (b"GET /api/concierge/health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 8200 + b"\r\n\r\n",
     b"431"),
    (b"GET /api/concierge/health HTTP/1.1\r\nHost: x\r\n"
     + b"".join(b"X-H%d: 1\r\n" % i for i in range(101)) + b"\r\n", b"431"),
])
def test_requests_over_the_documented_limits_are_answered_by_gunicorn(
        live_server, request_bytes, status):
    answer = raw_request(live_server.url, request_bytes)
    assert answer.split(b" ")[1] == status
    assert b"Content-Type: text/html" in answer  # gunicorn's own page (docs/operations.md)


def test_requests_within_the_limits_reach_the_app(live_server):
    answer = raw_request(live_server.url, b"GET /api/concierge/health?q=" + b"a" * 3900
                         + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Big: "
                         + b"a" * 8000 + b"\r\n\r\n")
    assert answer.split(b" ")[1] == b"200"
    assert b"application/json" in answer


@pytest.mark.parametrize(("request_line", "status"), [
    (b"OPTIONS /api/concierge/health", b"200"),
    (b"OPTIONS * ", b"404"),
    (b"GET /api/concierge//health", b"308"),
    (b"GET /api/concierge/%ZZ%00", b"404"),
    (b"PATCH /api/concierge/orders/lookup", b"405"),
    (b"GET /api/concierge/products?page=1&page=2", b"422"),
    (b"GET /api/concierge/products/%C0%AF", b"404"),
])
def test_whatever_reaches_the_app_under_api_is_answered_in_json(live_server, request_line,
                                                                 status):
    line = request_line.strip() + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    answer = raw_request(live_server.url, line)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.split(b" ")[1] == status
    assert re.search(rb"(?im)^content-type: application/(problem\+)?json", head)
    assert body.startswith(b"{")
