"""Real local receivers for the outbox tests, and a bounded wait."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from concierge.verify.receivers import MailServer, WebhookReceiver

__all__ = ["AnsweringReceiver", "MailServer", "RawReceiver", "WebhookReceiver", "flood",
           "trickle", "wait_for"]


def wait_for(predicate, timeout: float = 10.0):
    """Wait until predicate() is true (the contract's 10 s bound); fail otherwise."""
    deadline = time.monotonic() + timeout
    while not (value := predicate()):
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)
    return value


class AnsweringReceiver:
    """A webhook endpoint answering every POST with one status (a redirect names `location`)."""

    def __init__(self, status: int, location: str = ""):
        self.status, self.location, self.received = status, location, 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received += 1
                self.send_response(receiver.status)
                if receiver.location:
                    self.send_header("Location", receiver.location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/concierge"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()

    def down(self) -> None:
        """Stop listening."""
        self.server.shutdown()
        self.server.server_close()


class RawReceiver:
    """A webhook endpoint on a bare socket that answers with `answer(connection)`.

    For receivers no HTTP server library would be: one that trickles its answer
    a byte at a time, or floods an endless one. `sent` counts the bytes it
    managed to write; `closed` is set once the client has gone away.
    """

    def __init__(self, answer):
        self.answer, self.sent, self.closed = answer, 0, threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}/hooks/concierge"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        try:
            connection, _ = self.listener.accept()
        except OSError:
            return
        with connection:
            connection.recv(65536)  # the request (small, one segment on loopback)
            with contextlib.suppress(OSError):  # the client hung up: what it should do
                self.answer(self, connection)
        self.closed.set()

    def write(self, connection, data: bytes) -> None:
        """Send and count."""
        connection.sendall(data)
        self.sent += len(data)

    def down(self) -> None:
        """Stop listening."""
        self.listener.close()


def trickle(receiver, connection, every: float = 0.2, total: float = 30) -> None:
    """Answer a byte at a time, each well within any per-read timeout."""
    deadline = time.monotonic() + total
    for byte in b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n":
        if time.monotonic() > deadline:
            return
        receiver.write(connection, bytes([byte]))
        time.sleep(every)


def flood(receiver, connection, limit: int = 400 * 1024 * 1024) -> None:
    """Answer 200 with a body of `limit` bytes, as fast as the client takes it."""
    receiver.write(connection, b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                               b"Content-Length: %d\r\n\r\n" % limit)
    chunk = b"x" * 65536
    while receiver.sent < limit:
        receiver.write(connection, chunk)
