"""Run Debian's redis-server for a test: a free port, a folder of its own, no system service."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
import redis

from .live import free_port

REDIS_SERVER = Path(os.environ.get("REDIS_SERVER", "/usr/bin/redis-server"))


class RedisServer:
    """One redis-server process that a test can kill and start again on the same port."""

    def __init__(self, folder: Path):
        if not REDIS_SERVER.exists():
            pytest.skip(f"needs Debian's redis-server at {REDIS_SERVER} (make redis)")
        self.folder, self.port = folder, free_port()
        self.folder.mkdir(parents=True, exist_ok=True)
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        """Return the redis:// URL of its database 0."""
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        """Return a client that gives up within a second."""
        return redis.Redis.from_url(self.url, socket_timeout=1, socket_connect_timeout=1)

    def start(self) -> RedisServer:
        """Start the server (nothing saved to disk) and wait until it answers PING."""
        self.process = subprocess.Popen(
            [str(REDIS_SERVER), "--port", str(self.port), "--bind", "127.0.0.1",
             "--dir", str(self.folder), "--save", "", "--appendonly", "no",
             "--daemonize", "no", "--logfile", str(self.folder / "redis.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10
        while True:
            try:
                if self.client().ping():
                    return self
            except redis.ConnectionError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                log = self.folder / "redis.log"
                raise RuntimeError("redis-server did not start:\n"
                                   + (log.read_text()[-2000:] if log.exists() else ""))
            time.sleep(0.05)

    def freeze(self) -> None:
        """SIGSTOP the server: connections still open, nothing answered (a hung or cut-off host)."""
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def kill(self) -> None:
        """SIGKILL the server, as a crash or a lost machine would end it."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def __enter__(self) -> RedisServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.kill()
