"""The server under verification and the way its documents are read."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import requests
from werkzeug.serving import WSGIRequestHandler, make_server

from ..config import Config
from ..db import Store
from .documents import Documents
from .probe import ENV_ADDRESS, ENV_KEY, ProbeDocuments
from .shapes import ShapeRecorder

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 30


@dataclass
class Target:
    """A base URL, how it was started, the reader of its documents (or None), its scanner."""

    base_url: str
    description: str
    documents: Documents | ProbeDocuments | None
    # The clamd the verifier gave the app ({"url", "local", "database"}, or {"url": None,
    # "error"} when the local one did not start); None when the verifier does not know.
    scanner: dict | None = None
    # The local webhook receiver and SMTP server the verifier gave the app
    # ({"hook", "mail", "secret"}); None when it watches no events.
    receivers: dict | None = None
    # Kill the server with SIGKILL and start it again on the same data; None when the
    # verifier did not start it (a deployment given by --base-url).
    restart: Callable[[], None] | None = None


def free_port() -> int:
    """Return a port nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, process: subprocess.Popen | None, log: Path | None,
                  timeout: float = START_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{log.read_text()[-3000:] if log else ''}")
        with contextlib.suppress(requests.RequestException):
            if requests.get(f"{url}/api/concierge/health", timeout=1).ok:
                return
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url}/api/concierge/health did not answer 200 in {timeout:.0f} s")
        time.sleep(0.2)


def mongo_documents(uri: str, database: str) -> Documents:
    """Read a real MongoDB directly."""
    store = Store(Config(MONGO_URI=uri, MONGO_DB=database))
    return Documents(store.database, "mongodb", f"MongoDB at MONGO_URI (database {database})")


@contextlib.contextmanager
def gunicorn_target(config: Config, log_dir: Path, threads: int = 8,
                    scanner: dict | None = None, receivers: dict | None = None,
                    data_dir: str | None = None):
    """Start `gunicorn wsgi:app` (one worker) on a free port; read its store.

    Embedded default: a data folder of its own (never the project's var/),
    read through the probe socket into the worker.  With MONGO_URI: the worker
    and the verifier both use that database.  The worker scans uploads with
    config.CONCIERGE_CLAMD_URL (`scanner` describes it).  The target can be
    killed with SIGKILL and started again on the same folder (the restart row);
    `data_dir` replaces that folder ("memory": a server that keeps nothing).
    """
    port = free_port()
    log_dir.mkdir(parents=True, exist_ok=True)
    log = log_dir / "verify-gunicorn.log"
    private = Path(tempfile.mkdtemp(prefix="concierge-verify-"))  # mode 0700
    address, key = str(private / "probe.sock"), secrets.token_urlsafe(32)
    env = {**os.environ, "RATELIMIT_ENABLED": "false", "MONGO_URI": config.MONGO_URI,
           "MONGO_DB": config.MONGO_DB, "LOG_LEVEL": "WARNING",
           "CONCIERGE_ADMIN_TOKEN": config.CONCIERGE_ADMIN_TOKEN,
           "CONCIERGE_MERCHANT_KEY": config.CONCIERGE_MERCHANT_KEY,
           "CONCIERGE_CLAMD_URL": config.CONCIERGE_CLAMD_URL,
           **{name: getattr(config, name) for name in (
               "CONCIERGE_WEBHOOK_URL", "CONCIERGE_WEBHOOK_SECRET", "CONCIERGE_SMTP_URL",
               "CONCIERGE_MAIL_FROM", "CONCIERGE_PUBLIC_URL")}}
    if config.embedded:
        env.update({ENV_ADDRESS: address, ENV_KEY: key,
                    "CONCIERGE_DATA_DIR": data_dir or str(private / "data")})
    url = f"http://127.0.0.1:{port}"
    server = _Server(port, threads, env, log)
    documents = None
    try:
        server.start()
        if config.embedded:
            documents = ProbeDocuments(address, key)
            store = "embedded store (in-process mongomock, on disk in a folder of its own)"
        else:
            documents = mongo_documents(config.MONGO_URI, config.MONGO_DB)
            store = f"MongoDB at MONGO_URI (database {config.MONGO_DB})"

        def restart() -> None:
            server.kill()
            server.start()
            if isinstance(documents, ProbeDocuments):
                documents.reconnect()

        yield Target(url, f"gunicorn wsgi:app, 1 worker, {threads} threads, {url}, "
                          f"{store}, rate limits off", documents, scanner, receivers, restart)
    finally:
        if isinstance(documents, ProbeDocuments):
            documents.close()
        server.stop()
        shutil.rmtree(private, ignore_errors=True)


class _Server:
    """One gunicorn process group serving wsgi:app on a fixed port."""

    def __init__(self, port: int, threads: int, env: dict, log: Path):
        self.port, self.threads, self.env, self.log = port, threads, env, log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        """Start gunicorn and wait until /health answers 200."""
        gunicorn_bin = Path(sys.executable).with_name("gunicorn")
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
                [str(gunicorn_bin), "--bind", f"127.0.0.1:{self.port}", "--workers", "1",
                 "--threads", str(self.threads), "--graceful-timeout", "2",
                 "--config", "python:concierge.verify.probe", "wsgi:app"],
                cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True)  # a process group of its own, for kill()
        _wait_healthy(f"http://127.0.0.1:{self.port}", self.process, self.log)

    def kill(self) -> None:
        """SIGKILL gunicorn and its worker at once, as a crash would."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        """Stop gunicorn gracefully (killed if it takes over 10 s)."""
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


@contextlib.contextmanager
def remote_target(base_url: str, config: Config):
    """Verify a running deployment; read MongoDB only when MONGO_URI is set."""
    _wait_healthy(base_url.rstrip("/"), None, None, timeout=10)
    documents = mongo_documents(config.MONGO_URI, config.MONGO_DB) if config.MONGO_URI else None
    yield Target(base_url.rstrip("/"), f"deployment at {base_url}", documents)


class _QuietHandler(WSGIRequestHandler):
    """Leave request logging to the app; the verifier keeps every exchange itself."""

    def log_request(self, *args, **kwargs) -> None:
        """Do not log."""


@contextlib.contextmanager
def in_process_target(app, scanner: dict | None = None, receivers: dict | None = None):
    """Serve a Flask app over HTTP in this process (werkzeug, threaded); read its store."""
    store = app.extensions["concierge_store"]
    recorder = ShapeRecorder()
    store.observers.append(recorder)
    server = make_server("127.0.0.1", 0, app, threaded=True,
                         request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    try:
        documents = Documents(store.database, "embedded" if app.config["CONCIERGE"].embedded
                              else "mongodb", "the app's store, in this process", recorder)
        yield Target(url, f"in-process werkzeug server at {url}", documents, scanner,
                     receivers)
    finally:
        server.shutdown()
        store.observers.remove(recorder)
