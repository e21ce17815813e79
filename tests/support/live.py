"""Start the real app under gunicorn for HTTP and browser tests."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """Return a port nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """A running gunicorn server and its base URL."""

    def __init__(self, url: str, process: subprocess.Popen, log: Path):
        self.url, self.process, self.log = url, process, log

    def api(self, path: str) -> str:
        """Return the absolute URL of an API path."""
        return f"{self.url}/api/concierge{path}"

    def kill(self) -> None:
        """SIGKILL gunicorn and its workers at once, as a crash or `kill -9` would."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)


@contextlib.contextmanager
def gunicorn(tmp: Path, threads: int = 8, workers: int = 1, app: str = "wsgi:app",
             ready: str = "/api/concierge/health", conf: str = "concierge.gunicorn_conf",
             **env: str):
    """Run gunicorn (wsgi:app unless told) on a free port until the block ends."""
    port = free_port()
    log = tmp / f"gunicorn-{port}.log"
    # Each server keeps its documents in a folder of its own: the durable store, as deployed.
    environ = {**os.environ, "RATELIMIT_ENABLED": "false", "MONGO_URI": "",
               "CONCIERGE_DATA_DIR": str(tmp / f"data-{port}"), **env}
    gunicorn_bin = Path(sys.executable).with_name("gunicorn")
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(gunicorn_bin), "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
             "--threads", str(threads), "--graceful-timeout", "2",
             "-c", f"python:{conf}", app],
            cwd=ROOT, env=environ, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True)  # its own process group, for kill()
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{log.read_text()[-3000:]}")
            try:
                if requests.get(f"{url}{ready}", timeout=1).ok:
                    break
            except requests.RequestException:
                pass  # not listening yet, or too busy to answer within a second
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        yield LiveServer(url, process, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
