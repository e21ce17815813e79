"""The upload scanning row against Debian's real clamd, a scanner that passes all, none."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from concierge.config import Config
from concierge.verify import clamd
from concierge.verify.command import own_scanner
from concierge.verify.rows import FAIL, PASS, WARN


@pytest.fixture(scope="module")
def real_clamd():
    """The unix:// URL of a real clamd with the project's test signature."""
    if not clamd.available():
        pytest.fail(f"{clamd.CLAMD} is missing: {clamd.INSTALL_HINT}", pytrace=False)
    with clamd.local_clamd() as url:
        yield url


@pytest.fixture
def config(real_clamd, outbox_settings):
    """The embedded app scanning with the real clamd (and delivering its events)."""
    return {"TESTING": True, "MONGO_URI": "", "RATELIMIT_ENABLED": False,
            "LOG_LEVEL": "ERROR", "CONCIERGE_CLAMD_URL": real_clamd,
            "CONCIERGE_ADMIN_TOKEN": "test-admin-token-0123456789", **outbox_settings}


def local(url: str) -> dict:
    return {"url": url, "local": True, "database": clamd.DATABASE}


def test_the_row_measures_the_real_clamd_and_says_which_signatures(verify_app, tmp_path,
                                                                    real_clamd):
    rows, status, _ = verify_app(tmp_path, scanner=local(real_clamd))
    row = rows["scanning"]
    assert (row.status, row.failures, row.warnings) == (PASS, [], [])
    assert status == 0
    assert row.figures["scanner"]["version"].startswith("ClamAV 1.")
    proof = "\n".join(row.proof)
    for claim in ("clamd zVERSION", "scanStatus 'clean'", "(tEXt chunk) → 422 upload_rejected",
                  "DB: nothing stored for it", "not ClamAV's official signatures",
                  "official ClamAV signatures (freshclam) in production"):
        assert claim in proof
    assert [e["status"] for e in row.exchanges if e["path"].endswith("/inspiration")] == [422]


def test_a_scanner_that_lets_eicar_through_fails_the_row(app, verify_app, tmp_path,
                                                         clamd_url):
    app.config["CONCIERGE_CLAMD_URL"] = clamd_url  # a stand-in answering OK to everything
    rows, status, _ = verify_app(tmp_path, scanner=local(clamd_url))
    row = rows["scanning"]
    assert row.status == FAIL
    assert status == 1
    assert any("422 upload_rejected" in failure for failure in row.failures)
    assert any("nothing stored" in failure for failure in row.failures)
    assert any("zVERSION" in failure for failure in row.failures)  # it is not ClamAV


def test_an_app_not_using_the_given_scanner_fails_the_row(app, verify_app, tmp_path,
                                                          real_clamd):
    app.config["CONCIERGE_CLAMD_URL"] = ""
    rows, _, _ = verify_app(tmp_path, scanner=local(real_clamd))
    failures = rows["scanning"].failures
    assert any("scanStatus 'clean'" in failure for failure in failures)
    assert any("422 upload_rejected" in failure for failure in failures)


def test_a_local_clamd_that_did_not_start_is_a_warning(app, verify_app, tmp_path):
    app.config["CONCIERGE_CLAMD_URL"] = ""
    rows, _, _ = verify_app(tmp_path, scanner={"url": None, "error": "clamd exited with 1"})
    assert rows["scanning"].status == WARN
    assert rows["scanning"].warnings[0] == "the local clamd did not start: clamd exited with 1"


def test_our_own_server_gets_the_configured_clamd_else_a_local_one(real_clamd):
    configured = Config(CONCIERGE_CLAMD_URL="tcp://scanner:3310")
    with contextlib.ExitStack() as stack:
        assert own_scanner(configured, stack) == (configured, {
            "url": "tcp://scanner:3310", "local": False,
            "database": "the signatures of the clamd at CONCIERGE_CLAMD_URL"})
        config, scanner = own_scanner(Config(), stack)
        assert scanner == local(config.CONCIERGE_CLAMD_URL)
        assert clamd.ask(scanner["url"], "PING") == "PONG"
    with pytest.raises(FileNotFoundError):  # stopped with the stack, its directory removed
        clamd.ask(scanner["url"], "PING")


def test_without_clamd_installed_there_is_no_scanner(monkeypatch):
    monkeypatch.setattr(clamd, "CLAMD", Path("/nonexistent/clamd"))
    with contextlib.ExitStack() as stack:
        assert own_scanner(Config(), stack) == (Config(), None)


def test_a_clamd_that_does_not_start_is_reported_and_not_used(monkeypatch):
    monkeypatch.setattr(clamd, "CLAMD", Path("/bin/false"))
    with contextlib.ExitStack() as stack:
        config, scanner = own_scanner(Config(), stack)
    assert config.CONCIERGE_CLAMD_URL == ""
    assert scanner["url"] is None
    assert scanner["error"].startswith("clamd exited with 1")
