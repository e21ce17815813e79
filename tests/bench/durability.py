"""Durable writes against in-memory ones; start-up on a folder of 100,000 documents."""

from __future__ import annotations

import copy
import json
import time
from datetime import timedelta
from pathlib import Path

from concierge.clock import utc_now
from concierge.config import Config
from concierge.db import Store
from concierge.seeding import SEED_DIR, order_document, product_document

from ..support.live import gunicorn
from .throughput import APP_ENV, Plan, Verdict, _row, measure, worker_rss_mb

WRITE_PATH = "/api/concierge/shortlists"
WRITE_BODY = {"skus": ["AUR-TP-0001", "AUR-DR-0003"]}
WRITE_TARGET = 0.80  # of the in-memory store's throughput, every commit fsynced
START_DOCUMENTS = {"products": 10_000, "orders": 20_000, "widgetShortlists": 10_000,
                   "analyticsEvents": 60_000}
START_TARGET_SECONDS = 10.0


def writes(plan: Plan, tmp: Path, verdict: Verdict) -> None:
    """Drive the same write on a server keeping nothing and one fsyncing every commit."""
    memory_server = gunicorn(tmp, **APP_ENV, CONCIERGE_DATA_DIR="memory")
    with memory_server as memory, gunicorn(tmp, **APP_ENV) as disk:
        # Alternated, so that both see the same machine: memory, disk, memory, disk.
        runs = [(name, measure(server, WRITE_PATH, plan, "POST", WRITE_BODY))
                for _ in range(2) for name, server in (("in memory", memory), ("on disk", disk))]
    rps = {name: sum(m.figures.requests for n, m in runs if n == name)
           / sum(m.figures.seconds for n, m in runs if n == name) for name, _ in runs[:2]}
    share = rps["on disk"] / rps["in memory"]
    needed = WRITE_TARGET * plan.floor
    status = verdict.check(share >= needed, f"durable writes at {share:.0%} of in-memory "
                                            f"(needs {needed:.0%})")
    for name, measured in runs:
        if not measured.figures.clean:
            verdict.failures.append(f"writes {name}: {measured.figures.bad_status} error "
                                    f"answers, {measured.figures.socket_errors} socket errors")
    out = verdict.lines
    out.append("Writes (POST /shortlists) on the embedded store in memory and on disk "
               "(SQLite WAL, synchronous=FULL: every answer fsynced), measured alternately:")
    for name, measured in runs:
        out.append(_row(f"write {name}", measured, None))
    out.append(f"  on disk: {rps['on disk']:.0f} req/s against {rps['in memory']:.0f} in memory, "
               f"{share:.0%} (target >= {WRITE_TARGET:.0%}: {status})")


def fill(folder: Path, counts: dict[str, int]) -> None:
    """Write documents shaped like the app's own into a data folder."""
    at = utc_now()
    raw_products = json.loads((SEED_DIR / "products.json").read_text())
    raw_orders = json.loads((SEED_DIR / "orders.json").read_text())
    store = Store(Config(CONCIERGE_DATA_DIR=str(folder)))
    db = store.database()
    made = {
        "products": lambda n: product_document(
            {**raw_products[n % len(raw_products)], "sku": f"BENCH-{n:06d}"}, at),
        "orders": lambda n: order_document(
            {**copy.deepcopy(raw_orders[n % len(raw_orders)]), "orderNumber": f"BN-{n:07d}"},
            {p["sku"]: p for p in raw_products}, at),
        "widgetShortlists": lambda n: {
            "shortlistId": f"sl_{n:020d}", "skus": ["AUR-TP-0001", "AUR-DR-0003"],
            "createdAt": at, "updatedAt": at},
        "analyticsEvents": lambda n: {
            "name": "aurora_bench_stored", "sessionId": f"bench-session-{n % 997:06d}",
            "requestId": f"req-{n:012d}", "occurredAt": at - timedelta(seconds=n),
            "receivedAt": at - timedelta(seconds=n), "source": "widget", "props": {"n": n}},
    }
    for collection, count in counts.items():
        for start in range(0, count, 5_000):
            db[collection].insert_many([made[collection](n)
                                        for n in range(start, min(count, start + 5_000))])
    store.close()


def startup(plan: Plan, tmp: Path, verdict: Verdict) -> None:
    """Start a server on a folder of 100,000 documents; time it until /health answers ok."""
    folder = tmp / "startup-data"
    fill(folder, START_DOCUMENTS)
    total = sum(START_DOCUMENTS.values())
    size_mb = sum(f.stat().st_size for f in folder.iterdir()) / 1024 / 1024
    started = time.perf_counter()
    with gunicorn(tmp, CONCIERGE_DATA_DIR=str(folder)) as server:
        seconds = time.perf_counter() - started
        rss = worker_rss_mb(server)
    status = verdict.check(seconds <= START_TARGET_SECONDS / plan.floor,
                           f"start-up with {total:,} documents took {seconds:.1f} s")
    verdict.lines.append(
        f"Start-up on a data folder of {total:,} documents ({size_mb:.0f} MB on disk; "
        f"{', '.join(f'{n:,} {c}' for c, n in START_DOCUMENTS.items())}): healthy in "
        f"{seconds:.1f} s (target <= {START_TARGET_SECONDS:.0f} s: {status}); worker RSS "
        f"{rss:.0f} MB")
