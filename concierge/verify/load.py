"""A short mixed load run: requests, errors and p50/p95 per journey."""

from __future__ import annotations

import random
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests

from .common import TRACKED
from .context import Context
from .rows import Row

THREADS = 16
P95_BUDGET_MS = 750  # per journey; the embedded store serialises every call


def _journeys(ctx: Context) -> dict:
    """Return journey name → (method, path, kwargs, expected statuses)."""
    skus = ctx.state.get("skus") or ["VERIFY-NO-SUCH-SKU"]
    words = ["coat", "linen shirt", "black", "wool", "dress", "bag"]
    shortlist = ctx.state.get("shortlistId")
    events = {"events": [{"name": "aurora_verify_load", "sessionId": ctx.client.session_id,
                          "occurredAt": "2026-01-01T00:00:00.000Z", "props": {"load": True}}]}
    journeys = {
        "products search": lambda: ("GET", "/products",
                                    {"params": {"q": random.choice(words)}}, {200}),  # noqa: S311
        "product detail": lambda: ("GET", f"/products/{random.choice(skus)}", {}, {200}),  # noqa: S311
        "order lookup": lambda: ("POST", "/orders/lookup", {"json": TRACKED}, {200}),
        "capsules": lambda: ("GET", "/capsules", {}, {200}),
        "events": lambda: ("POST", "/events", {"json": events}, {202}),
        "config": lambda: ("GET", "/config", {}, {200}),
    }
    if shortlist:
        journeys["shortlist read"] = lambda: ("GET", f"/shortlists/{shortlist}", {}, {200})
    return journeys


def _percentile(values: list[float], pct: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


def load_run(ctx: Context, row: Row, total: int = 300) -> None:
    """Fire `total` requests over the journeys from a thread pool and measure them."""
    journeys = _journeys(ctx)
    plan = [name for _ in range(total // len(journeys) + 1) for name in journeys][:total]
    random.Random(7).shuffle(plan)  # noqa: S311 - a fixed, reproducible mix
    local = threading.local()
    headers = {"X-Concierge-Session": ctx.client.session_id}

    def one(name: str) -> tuple[str, int | None, float]:
        if not hasattr(local, "http"):
            local.http = requests.Session()
        method, path, kwargs, _ = journeys[name]()
        started = time.perf_counter()
        try:
            status = local.http.request(method, f"{ctx.client.base_url}/api/concierge{path}",
                                        headers=headers, timeout=15, **kwargs).status_code
        except requests.RequestException:
            status = None
        return name, status, (time.perf_counter() - started) * 1000

    started = time.perf_counter()
    with ThreadPoolExecutor(THREADS, thread_name_prefix="verify-load") as pool:
        results = list(pool.map(one, plan))
    seconds = time.perf_counter() - started
    per = {}
    for name, status, ms in results:
        entry = per.setdefault(name, {"requests": 0, "errors": 0, "limited": 0, "ms": []})
        entry["requests"] += 1
        entry["ms"].append(ms)
        if status == 429:
            entry["limited"] += 1
        elif status not in journeys[name]()[3]:
            entry["errors"] += 1
    table = {}
    for name, entry in sorted(per.items()):
        ms = entry.pop("ms")
        table[name] = {**entry, "p50": round(_percentile(ms, 50), 1),
                       "p95": round(_percentile(ms, 95), 1), "max": round(max(ms), 1)}
    errors = sum(e["errors"] for e in table.values())
    limited = sum(e["limited"] for e in table.values())
    row.figures.update(requests=len(results), threads=THREADS, seconds=round(seconds, 2),
                       rps=round(len(results) / seconds, 1), errors=errors, limited=limited,
                       p95BudgetMs=P95_BUDGET_MS, journeys=table)
    row.check(errors == 0, f"{len(results)} requests over {len(table)} journeys in "
              f"{seconds:.1f} s ({len(results) / seconds:.0f} req/s, {THREADS} threads): "
              f"{errors} errors", errors)
    if limited:
        row.warn(f"{limited} answers were 429 rate_limited (the deployment's limits are on)")
    for name, entry in table.items():
        row.check(entry["p95"] <= P95_BUDGET_MS,
                  f"{name}: {entry['requests']} req, p50 {entry['p50']:.0f} ms, "
                  f"p95 {entry['p95']:.0f} ms (≤ {P95_BUDGET_MS})", entry)
