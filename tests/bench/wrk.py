"""Drive one URL with wrk and read its figures."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

SCRIPT = Path(__file__).with_name("report.lua")
THREADS, CONNECTIONS = 2, 16


@dataclass(frozen=True)
class Figures:
    """What one wrk run measured."""

    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    socket_errors: int
    bad_status: int

    @property
    def rps(self) -> float:
        """Requests per second over the run."""
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def clean(self) -> bool:
        """Tell whether every request got a 2xx/3xx answer."""
        return not self.socket_errors and not self.bad_status


def wrk_binary() -> str:
    """Return wrk's path, or explain how to install it."""
    found = shutil.which("wrk")
    if found is None:
        raise SystemExit("wrk is not installed: run `make wrk` (Debian's wrk package)")
    return found


def drive(url: str, seconds: float, method: str = "GET", body: dict | None = None) -> Figures:
    """Load the URL for the given time with wrk -t2 -c16 and return the figures."""
    env = {**os.environ, "BENCH_METHOD": method,
           "BENCH_BODY": json.dumps(body) if body is not None else ""}
    answer = subprocess.run(
        [wrk_binary(), f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{max(1, round(seconds))}s",
         "--timeout", "10s", "-s", str(SCRIPT), url],
        env=env, capture_output=True, text=True, check=True)
    line = next(row for row in answer.stdout.splitlines() if row.startswith("BENCH "))
    return Figures(**json.loads(line.removeprefix("BENCH ")))
