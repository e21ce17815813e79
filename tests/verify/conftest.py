"""Fixtures for the verifier's tests: a fake clamd and a quick in-process run."""

from __future__ import annotations

import base64
import socketserver
import struct
import threading

import pytest

from concierge.verify import runner
from concierge.verify.receivers import MailServer, WebhookReceiver
from concierge.verify.targets import in_process_target

QUICK = ("browser", "postman", "load")


class _Clamd(socketserver.StreamRequestHandler):
    """Speak clamd's INSTREAM protocol and find every stream clean (no other command)."""

    def handle(self):
        command = b""
        while not command.endswith(b"\0") and (byte := self.rfile.read(1)):
            command += byte
        if command != b"zINSTREAM\0":
            self.wfile.write(b"UNKNOWN COMMAND\0")  # e.g. zVERSION: this is no ClamAV
            return
        while True:
            (size,) = struct.unpack(">I", self.rfile.read(4))
            if size == 0:
                break
            self.rfile.read(size)
        self.wfile.write(b"stream: OK\0")


@pytest.fixture
def clamd_url():
    """The URL of a local clamd stand-in that answers OK to every scan."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Clamd)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"tcp://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def receivers():
    """A local webhook receiver and SMTP server for the events-out row."""
    hook, mail = WebhookReceiver(), MailServer().up()
    yield {"hook": hook, "mail": mail,
           "secret": "whsec_" + base64.b64encode(b"verify-test-signing-key-0123").decode()}
    hook.down()
    mail.down()


@pytest.fixture
def outbox_settings(receivers) -> dict:
    """Settings that deliver the app's events to `receivers`."""
    return {"CONCIERGE_WEBHOOK_URL": receivers["hook"].url,
            "CONCIERGE_WEBHOOK_SECRET": receivers["secret"],
            "CONCIERGE_SMTP_URL": receivers["mail"].url}


@pytest.fixture
def verify_app(app, receivers):
    """Return a function that verifies `app` in-process (quick rows) and gives rows, status."""
    def verify(tmp_path, strict=False, scanner=None):
        lines = []
        with in_process_target(app, scanner=scanner, receivers=receivers) as target:
            rows, status = runner.run(target, app.config["CONCIERGE"], tmp_path, strict=strict,
                                      skip=QUICK, echo=lines.append)
        return {row.key: row for row in rows}, status, lines
    return verify
