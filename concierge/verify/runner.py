"""Run every row against a target, print a progress line per row, write the reports."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from pathlib import Path

from ..config import Config
from . import (
    browser,
    confirm,
    durability,
    engagement,
    holds,
    indexcheck,
    journeys,
    load,
    newman,
    report,
)
from .context import Context
from .events_out import events_out
from .http import Client
from .rows import PASS, SYMBOL, Abort, Row
from .scanning import upload_scanning
from .targets import Target

ROWS: tuple[tuple[str, str, str, Callable], ...] = (
    ("flag", "Feature flag & contract surface", "evidence", journeys.flag_and_contract),
    ("products", "Products discovery", "evidence", journeys.products),
    ("order_tracking", "Order tracking", "evidence", journeys.order_tracking),
    ("returns", "Returns", "evidence", journeys.returns),
    ("capsule_holds", "Capsule holds", "evidence", holds.capsule_holds),
    ("shortlists", "Shortlist persistence", "evidence", holds.shortlists),
    ("stylist_tickets", "Stylist tickets", "evidence", holds.stylist_tickets),
    ("inspiration", "Inspiration uploads", "evidence", engagement.inspiration),
    ("order_updates", "Order updates subscription", "evidence", engagement.order_updates),
    ("csat", "CSAT capture", "evidence", engagement.csat),
    ("analytics", "Analytics events", "evidence", engagement.analytics),
    ("events_out", "Events out: webhooks and emails", "evidence", events_out),
    ("collections", "Mongo collections populated", "evidence", engagement.collections),
    ("secondary_lookup", "Secondary lookup (postal code / email)", "confirm",
     confirm.secondary_lookup),
    ("ttl", "TTL and retention policies", "confirm", confirm.ttl_retention),
    ("scanning", "Upload scanning pipeline", "confirm", upload_scanning),
    ("browser", "Widget in headless Chromium (/demo)", "run", browser.browser_pass),
    ("postman", "Postman collection (newman)", "run", newman.postman),
    ("load", "Performance under load", "confirm", load.load_run),
    ("indexes", "Hot queries are index-backed", "confirm", indexcheck.index_backed),
    # Last: it kills the server, which every row before needs alive.
    ("restart", "Data survives kill -9 and a restart", "confirm", durability.survives_restart),
)
SKIPPABLE = ("browser", "postman", "load")


def run(target: Target, config: Config, report_dir: Path, *, strict: bool = False,
        skip: tuple[str, ...] = (), load_requests: int = 300,
        echo: Callable[[str], None] = print) -> tuple[list[Row], int]:
    """Verify the target; return the rows and the exit status (1 when a row fails)."""
    run_id = secrets.token_hex(4)
    started, clock = report.now_iso(), time.perf_counter()
    ctx = Context(Client(target.base_url, run_id), target.documents, config, report_dir,
                  target.description, run_id)
    ctx.state["canaryTries"] = _join_canary(ctx.client)
    ctx.state["scanner"] = target.scanner
    ctx.state["receivers"] = target.receivers
    ctx.state["restart"] = target.restart
    how = target.documents.how if target.documents else "nothing (MongoDB not checked)"
    echo(f"Verifying {target.description}\n  documents: {how}\n  run {run_id}, "
         f"session {ctx.client.session_id}")
    indexcheck.start(ctx)
    rows = []
    for number, (key, area, group, check) in enumerate(ROWS, 1):
        row = Row(key, area, group)
        ctx.client.log = row.exchanges
        if key in skip:
            row.skip("skipped on request (--skip)")
        else:
            try:
                if key == "load":
                    check(ctx, row, total=load_requests)
                else:
                    check(ctx, row)
            except Abort:
                pass
            except Exception as error:  # noqa: BLE001 - a crash is that row's failure
                row.failures.append(f"unexpected error: {type(error).__name__}: {error}")
        rows.append(row.finish())
        first = (row.failures or row.warnings or [""])[0]
        echo(f"[{number:2}/{len(ROWS)}] {SYMBOL[row.status]} {area:40} {row.seconds:6.2f}s"
             f"  {first[:110]}")
    failed = [r for r in rows if r.counts_as_failure(strict)]
    status = 1 if failed else 0
    meta = {"runId": run_id, "startedAt": started, "finishedAt": report.now_iso(),
            "seconds": round(time.perf_counter() - clock, 1), "target": target.description,
            "documents": how, "sessionId": ctx.client.session_id, "strict": strict,
            "exitStatus": status,
            "verdict": _verdict(rows, failed)}
    md, js = report.write(report_dir, rows, meta)
    echo(f"{meta['verdict']} in {meta['seconds']} s: {md} and {js.name}")
    return rows, status


def _join_canary(client: Client, attempts: int = 100) -> int | None:
    """Use a session inside the flag's canary (asked over /config); return the tries taken.

    Keeps the first session when none is inside (flag off): the rows then show it.
    """
    first = client.session_id
    for tries in range(1, attempts + 1):
        answer = client.get("/config")
        if answer.status == 200 and answer.get("realEndpointsEnabled") is True:
            return tries
        client.session_id = f"verify{client.run_id}{secrets.token_hex(8)}"
    client.session_id = first
    return None


def _verdict(rows: list[Row], failed: list[Row]) -> str:
    if failed:
        return "FAILED: " + ", ".join(r.area for r in failed)
    unproven = [r.area for r in rows if r.status != PASS]
    return f"PASSED, not proven: {', '.join(unproven)}" if unproven else "PASSED"
