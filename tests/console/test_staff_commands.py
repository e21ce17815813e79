"""flask concierge staff add|remove|list: MONGO_URI or a free data folder, not beside a server."""

from __future__ import annotations

import pytest

from concierge import create_app

from ..test_backup import flask

PASSWORD = "correct horse battery"


def folder_app(folder):
    return create_app({"TESTING": True, "LOG_LEVEL": "WARNING", "OUTBOX_WORKER": False,
                       "CONCIERGE_DATA_DIR": str(folder), "CONCIERGE_SEED": "none"})


def test_on_mongodb_accounts_are_added_listed_and_removed(mongodb_runner, mongodb):
    added = mongodb_runner.invoke(args=["concierge", "staff", "add", "Sam@Aurora.test",
                                        "--name", "Sam Lee", "--role", "admin",
                                        "--password", PASSWORD])
    assert added.exit_code == 0, added.output
    assert "Sam Lee <sam@aurora.test> can sign in to the console as admin." in added.output
    assert mongodb.staffAccounts.find_one()["passwordHash"].startswith("scrypt:")
    listed = mongodb_runner.invoke(args=["concierge", "staff", "list"])
    assert "sam@aurora.test" in listed.output
    assert "admin" in listed.output
    again = mongodb_runner.invoke(args=["concierge", "staff", "add", "sam@aurora.test",
                                        "--name", "Sam", "--password", PASSWORD])
    assert again.exit_code == 1
    assert "already has an account" in again.output
    removed = mongodb_runner.invoke(args=["concierge", "staff", "remove", "sam@aurora.test"])
    assert removed.exit_code == 0
    assert mongodb.staffAccounts.count_documents({}) == 0
    actions = [e["action"] for e in mongodb.audit.find().sort("at", 1)]
    assert actions == ["staff.added", "staff.removed"]
    assert mongodb.audit.find_one()["who"]["via"] == "command line"


def test_the_password_is_asked_twice_when_left_out(mongodb_runner, mongodb):
    result = mongodb_runner.invoke(args=["concierge", "staff", "add", "kim@aurora.test",
                                         "--name", "Kim"], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert mongodb.staffAccounts.find_one()["role"] == "agent"


@pytest.mark.parametrize(("args", "message"), [
    (["--password", "short"], "password"), (["--role", "owner", "--password", PASSWORD], "role"),
    (["--name", "", "--password", PASSWORD], "name")])
def test_bad_accounts_are_usage_errors(mongodb_runner, mongodb, args, message):
    result = mongodb_runner.invoke(args=["concierge", "staff", "add", "kim@aurora.test",
                                         "--name", "Kim", *args])
    assert result.exit_code == 2
    assert message in result.output
    assert mongodb.staffAccounts.count_documents({}) == 0


def test_removing_an_unknown_account_says_so(mongodb_runner):
    result = mongodb_runner.invoke(args=["concierge", "staff", "remove", "nobody@aurora.test"])
    assert result.exit_code == 1
    assert "No account has the email nobody@aurora.test" in result.output


def test_in_memory_there_is_no_store_so_it_refuses(runner):
    result = runner.invoke(args=["concierge", "staff", "list"])
    assert result.exit_code == 1
    assert "CONCIERGE_DATA_DIR=memory keeps nothing" in result.output


def test_a_folder_a_server_holds_is_refused_and_a_free_one_is_changed(tmp_path):
    server = folder_app(tmp_path)  # holds the folder, as gunicorn does
    try:
        refused = flask(tmp_path, "staff", "add", "sam@aurora.test", "--name", "Sam",
                        "--password", PASSWORD)
    finally:
        server.extensions["concierge_store"].close()
    assert refused.returncode == 1
    assert f"holds {tmp_path}" in refused.stderr
    assert "/console/staff" in refused.stderr
    added = flask(tmp_path, "staff", "add", "sam@aurora.test", "--name", "Sam",
                  "--password", PASSWORD)
    assert added.returncode == 0, added.stderr
    store = folder_app(tmp_path).extensions["concierge_store"]
    try:
        assert store.database().staffAccounts.find_one()["email"] == "sam@aurora.test"
    finally:
        store.close()
