"""Scan bytes with ClamAV's clamd over its INSTREAM protocol."""

from __future__ import annotations

import logging
import socket
import struct
from urllib.parse import urlsplit

log = logging.getLogger(__name__)

CHUNK = 64 * 1024
TIMEOUT = 10.0  # seconds for connect, each send and the verdict


class ScannerUnavailable(Exception):
    """clamd could not be reached or gave no usable answer."""


class ScanResult:
    """clamd's verdict: clean, or the signature it found."""

    def __init__(self, reply: str):
        self.reply = reply
        self.clean = reply.endswith(": OK")
        self.signature = (reply.rsplit(": ", 1)[-1].removesuffix(" FOUND")
                          if reply.endswith(" FOUND") else None)


def _connect(url: str) -> socket.socket:
    parts = urlsplit(url)
    if parts.scheme == "unix":
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.settimeout(TIMEOUT)
            sock.connect(parts.path)
        except OSError:
            sock.close()  # clamd gone (no socket file): no descriptor left behind
            raise
        return sock
    if parts.scheme == "tcp" and parts.hostname and parts.port:
        return socket.create_connection((parts.hostname, parts.port), timeout=TIMEOUT)
    raise ScannerUnavailable(f"unsupported clamd URL {url!r} (tcp://host:port or "
                             "unix:///path)")


def scan(url: str, data: bytes) -> ScanResult:
    """Send `data` to clamd and return its verdict; raise ScannerUnavailable otherwise."""
    try:
        with _connect(url) as sock:
            sock.sendall(b"zINSTREAM\0")
            for start in range(0, len(data), CHUNK):
                chunk = data[start:start + CHUNK]
                sock.sendall(struct.pack(">I", len(chunk)) + chunk)
            sock.sendall(struct.pack(">I", 0))
            reply = _read_reply(sock)
    except OSError as error:  # refused, reset, timed out, no such socket file
        log.error("clamd unreachable at %s: %s", url, error)
        raise ScannerUnavailable(str(error)) from error
    result = ScanResult(reply)
    if not result.clean and result.signature is None:
        # e.g. "INSTREAM size limit exceeded. ERROR": no verdict, so no pass.
        log.error("clamd gave no verdict: %r", reply)
        raise ScannerUnavailable(reply)
    return result


def _read_reply(sock: socket.socket) -> str:
    """Read the NUL-terminated reply of a z-command."""
    reply = b""
    while not reply.endswith(b"\0"):
        part = sock.recv(4096)
        if not part:
            break
        reply += part
        if len(reply) > 4096:
            break
    return reply.rstrip(b"\0").decode("utf-8", "replace").strip()
