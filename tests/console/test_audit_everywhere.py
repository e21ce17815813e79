"""Every state-changing action of staff or operators is in the audit, wherever it was made."""

from __future__ import annotations

import io

import pytest

from concierge import create_app
from concierge.outbox import repository

from ..conftest import MOCK_MONGO, MOCK_MONGO_URI
from ..inspiration.fakes import picture
from .activity import TOKEN
from .conftest import Staff


def entries(db, action: str) -> list[dict]:
    return list(db.audit.find({"action": action}, {"_id": 0}))


def test_a_wrong_token_at_sign_in_is_audited_with_the_name_given_and_the_address(client, db):
    assert Staff(client).sign_in(token="w" * 40, staff="Mallory").status_code == 401
    [entry] = entries(db, "console.sign_in_refused")
    assert entry["who"]["staff"] == "Mallory"
    assert entry["client"] == "127.0.0.1"
    assert "w" * 40 not in str(entry)  # never the token that was tried


def test_a_sign_out_is_audited(staff, db):
    staff.post("/console/sign-out")
    [entry] = entries(db, "console.signed_out")
    assert entry["who"]["staff"] == "Robin"


def test_a_moderation_decision_through_the_admin_api_is_audited(client, db):
    upload = client.post("/api/concierge/inspiration", content_type="multipart/form-data",
                         data={"image": (io.BytesIO(picture("PNG")), "a.png"),
                               "consent": "true", "caption": "Dune tones"})
    upload_id = upload.get_json()["uploadId"]
    decided = client.post(f"/api/concierge/admin/inspiration/{upload_id}/decision",
                          headers={"Authorization": f"Bearer {TOKEN}"},
                          json={"decision": "approved"})
    assert decided.status_code == 200
    [entry] = entries(db, "inspiration.moderated")
    assert (entry["target"], entry["details"]) == (upload_id, {"decision": "approved"})
    assert entry["who"] == {"token": "CONCIERGE_ADMIN_TOKEN", "via": "admin API"}


@pytest.fixture
def operator(config):
    import mongomock

    with mongomock.patch(servers=(MOCK_MONGO,)):
        app = create_app({**config, "MONGO_URI": MOCK_MONGO_URI})
        yield app, app.test_cli_runner(), app.extensions["concierge_store"].database()


def test_a_flag_change_from_the_command_line_is_audited(operator):
    _, runner, db = operator
    result = runner.invoke(args=["concierge", "flags", "--enable", "--canary", "10"])
    assert result.exit_code == 0, result.output
    [entry] = entries(db, "flag.changed")
    assert entry["who"]["via"] == "command line"
    assert entry["details"]["after"] == {"enabled": True, "canaryPercent": 10}
    runner.invoke(args=["concierge", "flags"])  # only showing it changes nothing
    assert len(entries(db, "flag.changed")) == 1


def test_api_keys_created_and_revoked_from_the_command_line_are_audited(operator):
    _, runner, db = operator
    created = runner.invoke(args=["concierge", "api-keys", "create", "--name", "sync",
                                  "--scope", "catalog:write"])
    assert created.exit_code == 0, created.output
    key_id = created.output.split()[2]
    key = created.output.strip().splitlines()[-1]
    assert runner.invoke(args=["concierge", "api-keys", "revoke", key_id]).exit_code == 0
    [made] = entries(db, "api_key.created")
    [revoked] = entries(db, "api_key.revoked")
    assert (made["target"], made["details"]["name"]) == (key_id, "sync")
    assert revoked["target"] == key_id
    assert key not in str(made)  # the key itself is never written down


def test_a_retry_from_the_command_line_is_audited(operator):
    _, runner, db = operator
    repository.insert(db, [{"_id": "msg_one", "eventId": "msg_one", "status": "failed",
                            "channel": "webhook", "type": "csat.low_rating", "data": {}}])
    result = runner.invoke(args=["concierge", "retry", "msg_one"])
    assert result.exit_code == 0, result.output
    [entry] = entries(db, "outbox.retried")
    assert (entry["target"], entry["details"]) == ("msg_one", {"deliveries": 1})
