"""Local receivers for events out: a webhook endpoint and an SMTP server (aiosmtpd).

The verifier gives its own server these, and the outbox tests use them.
aiosmtpd is a test extra: import this module only where it is installed.
"""

from __future__ import annotations

import email
import email.policy
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller

from .targets import free_port


class WebhookReceiver:
    """Record POSTs (headers, raw body); answer 500 for the first `failures`, then 204.

    `down()` closes the port (connection refused) and `up()` opens it again,
    as a receiver that is restarted would.
    """

    def __init__(self, failures: int = 0):
        self.failures, self.port = failures, free_port()
        self.hold: threading.Event | None = None  # set: answer only once it is set
        self.url = f"http://127.0.0.1:{self.port}/hooks/concierge"
        self.received: list[tuple[dict, bytes]] = []
        self.lock = threading.Lock()
        self.server = None
        self.up()

    def _handler(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                if receiver.hold is not None:
                    receiver.hold.wait(30)
                with receiver.lock:
                    receiver.received.append((dict(self.headers), raw))
                    fail = len(receiver.received) <= receiver.failures
                self.send_response(500 if fail else 204)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        return Handler

    def up(self) -> None:
        """Listen (again) on the same port."""
        ThreadingHTTPServer.allow_reuse_address = True
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), self._handler())
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()

    def down(self) -> None:
        """Stop listening: deliveries get connection refused."""
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def bodies(self) -> list[dict]:
        """Return the JSON bodies received so far."""
        with self.lock:
            return [json.loads(raw) for _, raw in self.received]


class MailServer:
    """A real SMTP server (aiosmtpd) keeping every message it accepts."""

    def __init__(self, **controller_options):
        self.port, self.options = free_port(), controller_options
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list = []
        self.refused: set[str] = set()  # addresses answered 550 (no such mailbox)
        self.controller = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        self.messages.append(email.message_from_bytes(envelope.content,
                                                      policy=email.policy.default))
        return "250 Message accepted for delivery"

    def up(self) -> MailServer:
        """Start accepting mail."""
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port,
                                     **self.options)
        self.controller.start()
        return self

    def down(self) -> None:
        """Stop accepting mail."""
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def url(self) -> str:
        """The CONCIERGE_SMTP_URL of this server."""
        return f"smtp://127.0.0.1:{self.port}"
