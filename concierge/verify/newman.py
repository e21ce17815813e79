"""Run the Postman collection through newman when Node is present."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from .context import Context
from .rows import Row

POSTMAN_DIR = Path(__file__).resolve().parents[2] / "docs" / "postman"
COLLECTION = POSTMAN_DIR / "aurora-concierge.postman_collection.json"
NEWMAN = "newman@6"
TIMEOUT = 240  # seconds, including the first download of newman by npx


def postman(ctx: Context, row: Row) -> None:
    """Run `npx --yes newman run` on the collection against the server under test."""
    node, npx = shutil.which("node"), shutil.which("npx")
    if not node or not npx:
        row.skip("node not found: install Node.js to run the Postman collection with newman")
        return
    ctx.report_dir.mkdir(parents=True, exist_ok=True)
    export = ctx.report_dir / "newman.json"
    export.unlink(missing_ok=True)
    command = [npx, "--yes", NEWMAN, "run", str(COLLECTION), "--working-dir", str(POSTMAN_DIR),
               "--env-var", f"baseUrl={ctx.client.base_url}",
               "--env-var", f"adminToken={ctx.config.CONCIERGE_ADMIN_TOKEN}",
               "--env-var", f"merchantKey={ctx.config.CONCIERGE_MERCHANT_KEY}",
               "--env-var", f"runId={ctx.run_id}",
               # the verifier's session, chosen inside the flag's canary
               "--env-var", f"sessionId={ctx.client.session_id}",
               "--reporters", "cli,json", "--reporter-json-export", str(export),
               "--color", "off", "--disable-unicode", "--timeout-request", "15000"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT,  # noqa: S603
                              check=False)
    except subprocess.TimeoutExpired:
        row.check(False, f"newman finished within {TIMEOUT} s")
        return
    (ctx.report_dir / "newman.log").write_text(done.stdout + done.stderr)
    if not export.exists():
        row.skip(f"newman could not run (exit {done.returncode}): "
                 f"{(done.stderr or done.stdout).strip().splitlines()[-1:]}")
        return
    run = json.loads(export.read_text())["run"]
    stats = run["stats"]
    failures = [f"{f['source'].get('name', '?')}: {f['error'].get('message', '')}"
                for f in run.get("failures", [])]
    requests, assertions = stats["requests"], stats["assertions"]
    row.figures.update(requests=requests, assertions=assertions, failures=failures[:20],
                       report=str(export))
    row.check(done.returncode == 0 and not failures,
              f"newman ({NEWMAN}) ran {requests['total']} requests, "
              f"{assertions['total'] - assertions['failed']}/{assertions['total']} "
              f"assertions passed", failures[:5])
    row.note(f"collection: docs/postman/{COLLECTION.name}; log: {ctx.report_dir}/newman.log")
