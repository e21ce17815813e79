"""flask concierge verify end to end: the default gunicorn run and --base-url."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from concierge.verify.rows import FAIL, NOT_CHECKED, PASS, SKIP, WARN
from tests.support.live import gunicorn

QUICK = ["--skip", "browser", "--skip", "postman", "--skip", "load"]
DB_ROWS = {"flag", "collections", "products", "order_tracking", "returns", "capsule_holds",
           "shortlists", "stylist_tickets", "inspiration", "order_updates", "csat", "analytics",
           "ttl", "scanning", "indexes"}


def _report(tmp_path) -> dict:
    return json.loads((tmp_path / "verification.json").read_text())


# The load row's p95 budget is a speed claim: on 2 cores shared with other test runs a
# journey's p95 passes 750 ms now and then (seen at load average 20: capsules p95 853 ms,
# the whole run 145 s). Speed belongs to the certificate and `make bench`, not to this
# test: here the load run must answer every request without error and measure each
# journey; whether the machine was fast enough is not asserted.
SPEED_CLAIM = re.compile(r"^[a-z ]+: \d+ req, p50 \d+ ms, p95 \d+ ms \(≤ \d+\)")


def _speed(key: str, problem: str) -> bool:
    return key == "load" and bool(SPEED_CLAIM.match(problem))


@pytest.mark.live
@pytest.mark.browser
@pytest.mark.timeout(600)  # a hang guard: first `npx newman` download, or a busy machine
def test_the_default_run_starts_gunicorn_and_passes_every_row(runner, tmp_path, monkeypatch):
    monkeypatch.delenv("CONCIERGE_CLAMD_URL", raising=False)  # so it starts the local clamd
    result = runner.invoke(args=["concierge", "verify", "--report-dir", str(tmp_path),
                                 "--load-requests", "200"])
    report = _report(tmp_path)
    rows = {row["key"]: row for row in report["rows"]}
    problems = {key: [p for p in row["failures"] + row["warnings"] if not _speed(key, p)]
                for key, row in rows.items()}
    allowed_skip = set() if shutil.which("node") else {"postman"}
    assert {k: (rows[k]["status"], v) for k, v in problems.items()
            if v and not (k in allowed_skip and rows[k]["status"] == SKIP)} == {}, result.output
    slow = rows["load"]["status"] == FAIL
    assert result.exit_code == (1 if slow else 0), result.output
    load = rows["load"]["figures"]
    assert (load["requests"], load["errors"]) == (200, 0)
    assert all(entry["p95"] > 0 for entry in load["journeys"].values())
    assert report["target"].startswith("gunicorn wsgi:app, 1 worker")
    assert "probe" in report["documents"]
    assert result.output.count("\n[") == len(report["rows"])  # a progress line per row
    passed = sum(row["status"] == PASS for row in rows.values())
    assert (tmp_path / "verification.md").read_text().count("✅") >= passed
    assert passed >= len(rows) - len(allowed_skip) - slow
    assert (tmp_path / "verify-demo-tracking.png").stat().st_size > 10_000
    scanning = rows["scanning"]
    assert scanning["figures"]["scanner"]["version"].startswith("ClamAV ")
    assert any("422 upload_rejected" in claim for claim in scanning["proof"])


@pytest.mark.live
def test_base_url_without_mongo_uri_reports_database_rows_as_not_checked(runner, tmp_path):
    with gunicorn(tmp_path) as server:
        lenient = runner.invoke(args=["concierge", "verify", "--base-url", server.url,
                                      "--report-dir", str(tmp_path / "a"), *QUICK])
        strict = runner.invoke(args=["concierge", "verify", "--base-url", server.url,
                                     "--report-dir", str(tmp_path / "b"), "--strict", *QUICK])
    rows = {row["key"]: row for row in _report(tmp_path / "a")["rows"]}
    assert {key for key, row in rows.items() if NOT_CHECKED in row["warnings"]} == DB_ROWS
    assert {rows[key]["status"] for key in DB_ROWS} == {WARN}
    assert rows["secondary_lookup"]["status"] == PASS  # HTTP only: fully proven
    assert "MongoDB not checked" in (tmp_path / "a" / "verification.md").read_text()
    assert lenient.exit_code == 0, lenient.output
    assert strict.exit_code == 1
