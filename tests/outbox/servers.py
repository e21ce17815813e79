"""Real local receivers for the outbox tests, and a bounded wait."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from concierge.verify.receivers import MailServer, WebhookReceiver

__all__ = ["AnsweringReceiver", "MailServer", "WebhookReceiver", "wait_for"]


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
