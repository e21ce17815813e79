"""Memory and CPU one inspiration upload costs a gunicorn worker (make bench runs it).

Run by `make bench`.  Starts the app as `make run` does (one worker, eight
threads, embedded store), uploads pictures that are cheap to send and costly to
decode, and reads the worker's own accounting in /proc: the peak resident
memory above what it held before (VmHWM after a reset through clear_refs) and
the CPU time it spent.  Exits 1 when a figure is over the budget stated in
docs/operations.md ("Upload cost").
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import requests
from PIL import Image

from ..support.live import LiveServer, gunicorn

MIB = 1024 * 1024
# Budgets (docs/operations.md): peak memory a worker grows by, and CPU seconds.
# A 40-megapixel picture decodes to 4 bytes a pixel (Pillow keeps RGB as RGBX): about
# 160 MiB, plus the reduced copy; with one decoding slot per process (the default) four
# uploads at once cost the worker well under four: measured +203 to +362 MiB (the
# allocator, with one arena per thread, does not always reuse the freed pixels), against
# +1,084 MiB before the slot.
ONE_UPLOAD_MIB = 250
FOUR_AT_ONCE_MIB = 600
ONE_UPLOAD_CPU = 1.0
HEALTH_DURING_UPLOADS_MS = 500


@dataclass(frozen=True)
class Picture:
    """An upload: what it is and its bytes."""

    name: str
    data: bytes
    filename: str


def pictures() -> list[Picture]:
    """Return the costly pictures: small files that decode to about 40 megapixels."""
    flat = io.BytesIO()
    Image.new("RGB", (6300, 6300), (200, 40, 90)).save(flat, "PNG")
    gradient = Image.linear_gradient("L").resize((7000, 5700)).convert("RGB")
    photo = io.BytesIO()
    gradient.save(photo, "JPEG", quality=85)
    return [Picture(f"6300x6300 one-colour PNG ({len(flat.getvalue()) // 1024} KB)",
                    flat.getvalue(), "flat.png"),
            Picture(f"7000x5700 JPEG ({len(photo.getvalue()) // 1024} KB)",
                    photo.getvalue(), "photo.jpg")]


class Worker:
    """The gunicorn worker process, read through /proc."""

    def __init__(self, master_pid: int):
        children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
        self.pid = int(children[0])

    def _status(self, field: str) -> int:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
        raise KeyError(field)

    def rss(self) -> int:
        """Return the resident memory now, in bytes."""
        return self._status("VmRSS")

    def peak(self) -> int:
        """Return the peak resident memory since the last reset, in bytes."""
        return self._status("VmHWM")

    def reset_peak(self) -> None:
        """Make the peak start again from the current resident memory."""
        Path(f"/proc/{self.pid}/clear_refs").write_text("5")

    def cpu(self) -> float:
        """Return the CPU seconds the worker has used."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Figures:
    """What one scenario cost the worker."""

    name: str
    peak_mib: float
    cpu: float
    wall: float
    statuses: list[int]
    health_ms: float | None = None


def upload(server: LiveServer, picture: Picture) -> int:
    response = requests.post(server.api("/inspiration"), timeout=120,
                             files={"image": (picture.filename, picture.data)},
                             data={"consent": "true", "caption": "bench"})
    return response.status_code


def measure(server: LiveServer, worker: Worker, name: str, batch: list[Picture]) -> Figures:
    """Upload a batch at once; return the worker's peak growth, CPU and wall time."""
    time.sleep(0.5)  # let the previous scenario's memory go back
    before, cpu = worker.rss(), worker.cpu()
    worker.reset_peak()
    started = time.perf_counter()
    health: list[float] = []
    with ThreadPoolExecutor(len(batch)) as pool:
        futures = [pool.submit(upload, server, picture) for picture in batch]
        while len(batch) > 1 and not all(f.done() for f in futures):
            sent = time.perf_counter()
            requests.get(server.api("/health"), timeout=30)
            health.append((time.perf_counter() - sent) * 1000)
            time.sleep(0.05)
        statuses = [f.result() for f in futures]
    return Figures(name, (worker.peak() - before) / MIB, worker.cpu() - cpu,
                   time.perf_counter() - started, statuses, max(health) if health else None)


def run() -> list[Figures]:
    """Start the server and measure every scenario."""
    with tempfile.TemporaryDirectory() as tmp, gunicorn(Path(tmp)) as server:
        worker = Worker(server.process.pid)
        print(f"worker {worker.pid}: {worker.rss() / MIB:.0f} MiB resident at start", flush=True)
        costly = pictures()
        results = [measure(server, worker, "warm-up (small PNG)", [Picture(
            "small", _small_png(), "small.png")])]
        for picture in costly:
            results.append(measure(server, worker, picture.name, [picture]))
        results.append(measure(server, worker, f"4 at once: {costly[0].name}", [costly[0]] * 4))
        return results


def _small_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (1, 2, 3)).save(out, "PNG")
    return out.getvalue()


def over_budget(figures: Figures) -> list[str]:
    """Return the budgets a scenario broke."""
    problems = []
    several = len(figures.statuses) > 1
    limit = FOUR_AT_ONCE_MIB if several else ONE_UPLOAD_MIB
    if figures.peak_mib > limit:
        problems.append(f"peak +{figures.peak_mib:.0f} MiB > {limit} MiB")
    if not several and figures.cpu > ONE_UPLOAD_CPU:
        problems.append(f"CPU {figures.cpu:.2f} s > {ONE_UPLOAD_CPU} s")
    if figures.health_ms is not None and figures.health_ms > HEALTH_DURING_UPLOADS_MS:
        problems.append(f"/health {figures.health_ms:.0f} ms > {HEALTH_DURING_UPLOADS_MS} ms")
    if set(figures.statuses) != {202}:
        problems.append(f"answers {figures.statuses}")
    return problems


def main() -> int:
    """Print the figures; return 1 when one is over its budget."""
    results = run()
    print("upload cost per worker (gunicorn, 1 worker, 8 threads, embedded store)")
    failed = False
    for figures in results:
        health = "" if figures.health_ms is None else \
            f", slowest /health meanwhile {figures.health_ms:.0f} ms"
        problems = [] if figures.name.startswith("warm-up") else over_budget(figures)
        failed |= bool(problems)
        print(f"  {figures.name}: peak +{figures.peak_mib:.0f} MiB, CPU {figures.cpu:.2f} s, "
              f"wall {figures.wall:.2f} s{health} -> {figures.statuses}"
              + (f"  OVER BUDGET: {'; '.join(problems)}" if problems else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
