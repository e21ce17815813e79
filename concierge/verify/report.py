"""Write reports/verification.md (laid out like the certificate) and its JSON twin."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from .rows import FAIL, PASS, SKIP, SYMBOL, WARN, Row

WORD = {PASS: "pass", FAIL: "FAIL", WARN: "warning", SKIP: "skipped"}
GROUPS = (("evidence", "Evidence Summary"),
          ("confirm", "Remaining TODO-CONFIRM, measured"),
          ("run", "End-to-end runs"))


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _proof(row: Row) -> str:
    lines = [f"❌ {f}" for f in row.failures] + [f"⚠️ {w}" for w in row.warnings]
    lines += row.proof
    return "<br>".join(_cell(line) for line in lines) or "—"


def _load_table(row: Row) -> list[str]:
    journeys = row.figures.get("journeys") or {}
    if not journeys:
        return []
    lines = ["", f"**Load run** — {row.figures['requests']} requests, "
             f"{row.figures['threads']} threads, {row.figures['seconds']} s, "
             f"{row.figures['rps']} req/s, {row.figures['errors']} errors, "
             f"{row.figures['limited']} rate-limited; p95 budget "
             f"{row.figures['p95BudgetMs']} ms per journey.", "",
             "| journey | requests | errors | p50 ms | p95 ms | max ms |",
             "| - | -: | -: | -: | -: | -: |"]
    lines += [f"| {name} | {e['requests']} | {e['errors']} | {e['p50']} | {e['p95']} | "
              f"{e['max']} |" for name, e in journeys.items()]
    return lines


def _ttl_table(row: Row) -> list[str]:
    ttl = row.figures.get("ttl") or []
    if not ttl:
        return []
    lines = ["", "**TTL indexes** (expected from `concierge.db.INDEXES` + `RETENTION_DAYS`, "
             "found with `index_information()`)", "",
             "| collection | field | index | expected s | found s |", "| - | - | - | -: | -: |"]
    lines += [f"| {t['collection']} | {t['field']} | {t['index']} | {t['expected']} | "
              f"{t['found']} |" for t in ttl]
    return lines


def write(report_dir: Path, rows: list[Row], meta: dict) -> tuple[Path, Path]:
    """Write both reports; return their paths."""
    report_dir.mkdir(parents=True, exist_ok=True)
    md, js = report_dir / "verification.md", report_dir / "verification.json"
    counts = {status: sum(r.status == status for r in rows) for status in SYMBOL}
    lines = ["# Aurora Concierge — Functional Completion Certificate (verified run)", "",
             f"- **Verdict**: {meta['verdict']} (exit status {meta['exitStatus']}"
             f"{', strict' if meta['strict'] else ''})",
             f"- **Rows**: {counts[PASS]} ✅ pass, {counts[FAIL]} ❌ fail, "
             f"{counts[WARN]} ⚠️ warning, {counts[SKIP]} ⏭️ skipped",
             f"- **Run**: `{meta['runId']}`, {meta['startedAt']} → {meta['finishedAt']} "
             f"({meta['seconds']} s)",
             f"- **Server**: {meta['target']}",
             f"- **Documents read from**: {meta['documents']}",
             f"- **Widget session**: `{meta['sessionId']}`", ""]
    by_key = {}
    for group, title in GROUPS:
        chosen = [r for r in rows if r.group == group]
        if not chosen:
            continue
        lines += [f"## {title}", "| area | proof | status |", "| - | - | - |"]
        for row in chosen:
            by_key[row.key] = row
            lines.append(f"| {row.area} | {_proof(row)} | {SYMBOL[row.status]} "
                         f"{WORD[row.status]} |")
        lines.append("")
    if "load" in by_key:
        lines += _load_table(by_key["load"])
    if "ttl" in by_key:
        lines += _ttl_table(by_key["ttl"])
    lines += ["", "## Sign-off", "",
              f"- **Produced by**: `flask concierge verify` (run `{meta['runId']}`), "
              f"{meta['finishedAt']}",
              f"- **Statement**: {_statement(rows, meta)}"]
    lines += ["", "## How to read this", "",
              "✅ every claim in the proof column was checked on this run; ❌ at least one "
              "claim did not hold (listed first); ⚠️ not proven either way (e.g. no database "
              "access, no malware scanner configured) — fails the run only with `--strict`; "
              "⏭️ not run, with the reason. Figures and every HTTP exchange (with its "
              "requestId) are in `verification.json`. See docs/verification.md.", ""]
    md.write_text("\n".join(lines))
    js.write_text(json.dumps({**meta, "counts": counts,
                              "rows": [r.as_dict() for r in rows]}, indent=2, default=str))
    return md, js


def _statement(rows: list[Row], meta: dict) -> str:
    evidence = [r for r in rows if r.group == "evidence"]
    proven = sum(r.status == PASS for r in evidence)
    if meta["exitStatus"]:
        return (f"Not ready: {meta['verdict']}. {proven} of {len(evidence)} evidence rows "
                "proven on this run.")
    unproven = [r.area for r in rows if r.status != PASS]
    tail = f" Not proven on this run: {', '.join(unproven)}." if unproven else ""
    if proven == len(evidence):  # a row passes only when its MongoDB checks ran too
        return (f"All {len(evidence)} evidence rows proven end to end, over HTTP and in "
                f"MongoDB, against {meta['target']}.{tail}")
    return f"{proven} of {len(evidence)} evidence rows proven against {meta['target']}.{tail}"


def now_iso() -> str:
    """Return the current UTC time as ISO 8601 with Z."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
