"""Fixtures for the verifier's tests: a fake clamd and a quick in-process run."""

from __future__ import annotations

import socketserver
import struct
import threading

import pytest

from concierge.verify import runner
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
def verify_app(app):
    """Return a function that verifies `app` in-process (quick rows) and gives rows, status."""
    def verify(tmp_path, strict=False, scanner=None):
        lines = []
        with in_process_target(app, scanner=scanner) as target:
            rows, status = runner.run(target, app.config["CONCIERGE"], tmp_path, strict=strict,
                                      skip=QUICK, echo=lines.append)
        return {row.key: row for row in rows}, status, lines
    return verify
