"""flask concierge verify end to end: the default gunicorn run and --base-url."""

from __future__ import annotations

import json
import shutil

import pytest

from concierge.verify.rows import NOT_CHECKED, PASS, SKIP, WARN
from tests.live import gunicorn

QUICK = ["--skip", "browser", "--skip", "postman", "--skip", "load"]
DB_ROWS = {"flag", "collections", "products", "order_tracking", "returns", "capsule_holds",
           "shortlists", "stylist_tickets", "inspiration", "order_updates", "csat", "analytics",
           "ttl", "scanning", "indexes"}


def _report(tmp_path) -> dict:
    return json.loads((tmp_path / "verification.json").read_text())


@pytest.mark.live
@pytest.mark.browser
@pytest.mark.timeout(300)  # a fresh machine's first `npx newman` downloads it (once)
def test_the_default_run_starts_gunicorn_and_passes_every_row(runner, tmp_path, monkeypatch):
    monkeypatch.delenv("CONCIERGE_CLAMD_URL", raising=False)  # so it starts the local clamd
    result = runner.invoke(args=["concierge", "verify", "--report-dir", str(tmp_path),
                                 "--load-requests", "200"])
    report = _report(tmp_path)
    statuses = {row["key"]: (row["status"], row["failures"] + row["warnings"])
                for row in report["rows"]}
    allowed_skip = set() if shutil.which("node") else {"postman"}
    assert {k: v for k, v in statuses.items()
            if v[0] != PASS and not (k in allowed_skip and v[0] == SKIP)} == {}, result.output
    assert result.exit_code == 0
    assert report["target"].startswith("gunicorn wsgi:app, 1 worker")
    assert "probe" in report["documents"]
    assert result.output.count("\n[") == len(report["rows"])  # a progress line per row
    assert (tmp_path / "verification.md").read_text().count("✅") >= len(statuses) - 1
    assert (tmp_path / "verify-demo-tracking.png").stat().st_size > 10_000
    assert report["seconds"] < 90
    scanning = next(row for row in report["rows"] if row["key"] == "scanning")
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
