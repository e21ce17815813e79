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
    """Speak clamd's INSTREAM protocol and find every stream clean."""

    def handle(self):
        assert self.rfile.read(10) == b"zINSTREAM\0"
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
    def verify(tmp_path, strict=False):
        lines = []
        with in_process_target(app) as target:
            rows, status = runner.run(target, app.config["CONCIERGE"], tmp_path, strict=strict,
                                      skip=QUICK, echo=lines.append)
        return {row.key: row for row in rows}, status, lines
    return verify
