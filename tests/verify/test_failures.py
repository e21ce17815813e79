"""A broken journey makes its row fail and the run exit non-zero."""

from __future__ import annotations

import json

import pytest

from concierge.verify.rows import FAIL, PASS, WARN

pytestmark = pytest.mark.slow  # runs the verifier end to end against a server


@pytest.fixture
def config(clamd_url, outbox_settings):
    """The embedded app with a scanner and receivers, so a sound run has no warning at all."""
    return {"TESTING": True, "MONGO_URI": "", "RATELIMIT_ENABLED": False,
            "LOG_LEVEL": "ERROR", "CONCIERGE_CLAMD_URL": clamd_url,
            "CONCIERGE_ADMIN_TOKEN": "test-admin-token-0123456789", **outbox_settings}


def test_a_sound_app_passes_every_quick_row(verify_app, tmp_path):
    rows, status, lines = verify_app(tmp_path)
    assert {key: row.failures + row.warnings for key, row in rows.items()
            if row.status not in (PASS, "skip")} == {}
    assert status == 0
    assert len([line for line in lines if line.startswith("[")]) == len(rows)  # one per row
    assert lines[-1].startswith("PASSED, not proven: Widget")  # the --skip rows


def test_duplicate_hold_row_fails_when_its_unique_index_is_gone(app, db, verify_app,
                                                                tmp_path):
    db.capsuleHolds.drop_index("one_active_hold_per_email")
    rows, status, _ = verify_app(tmp_path)
    assert rows["capsule_holds"].status == FAIL
    assert any("one_active_hold_per_email" in failure
               for failure in rows["capsule_holds"].failures)
    assert rows["returns"].status == PASS  # only the broken journey's row fails
    assert status == 1
    report = json.loads((tmp_path / "verification.json").read_text())
    assert report["exitStatus"] == 1
    assert "Capsule holds" in report["verdict"]
    assert "| Capsule holds | ❌" in (tmp_path / "verification.md").read_text()


def test_journey_rows_fail_when_the_feature_flag_is_off(db, verify_app, tmp_path):
    db.featureFlags.update_one({"_id": "concierge.realEndpointsEnabled"},
                               {"$set": {"enabled": False}})
    rows, status, lines = verify_app(tmp_path)
    journeys = ("products", "order_tracking", "returns", "capsule_holds", "shortlists",
                "stylist_tickets", "inspiration", "order_updates", "csat")
    assert {key: rows[key].status for key in journeys} == dict.fromkeys(journeys, FAIL)
    assert "concierge_disabled" in rows["order_tracking"].failures[0]
    assert status == 1
    assert lines[-1].startswith("FAILED: Feature flag")


def test_ttl_row_fails_when_a_ttl_index_has_another_retention(db, verify_app, tmp_path):
    db.returns.drop_index("ttl_returns")
    db.returns.create_index("createdAt", name="ttl_returns", expireAfterSeconds=86400)
    rows, status, _ = verify_app(tmp_path)
    assert rows["ttl"].status == FAIL
    assert any("ttl_returns" in failure for failure in rows["ttl"].failures)
    assert status == 1


def test_an_unindexed_query_fails_the_index_row(db, verify_app, tmp_path):
    db.orders.drop_index("order_number_unique")
    rows, status, _ = verify_app(tmp_path)
    assert rows["indexes"].status == FAIL
    assert any("orders.find_one" in str(failure) for failure in rows["indexes"].failures)
    assert status == 1


@pytest.mark.parametrize("strict", [False, True])
def test_a_missing_scanner_is_a_warning_that_fails_only_when_strict(app, verify_app, tmp_path,
                                                                   strict):
    app.config["CONCIERGE_CLAMD_URL"] = ""
    rows, _, _ = verify_app(tmp_path, strict=strict)
    assert rows["scanning"].status == WARN
    assert "not_configured" in rows["scanning"].warnings[0]
    assert rows["scanning"].counts_as_failure(strict) is strict


def test_events_row_fails_when_webhooks_are_signed_with_another_key(app, verify_app, tmp_path):
    import base64

    other = "whsec_" + base64.b64encode(b"not-the-receivers-key-at-all").decode()
    app.config["CONCIERGE"] = app.config["CONCIERGE"].with_overrides(
        {"CONCIERGE_WEBHOOK_SECRET": other})
    rows, status, _ = verify_app(tmp_path)
    row = rows["events_out"]
    assert row.status == FAIL
    assert row.figures["badSignatures"] == row.figures["webhooks"] > 0
    assert status == 1
