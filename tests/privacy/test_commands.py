"""flask concierge privacy export|erase EMAIL: MongoDB, a free data folder, or a server's API."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ..support.live import ROOT, gunicorn
from .shopper import (
    ADMIN_TOKEN,
    CASEY,
    JORDAN,
    MERCHANT_KEY,
    Shopper,
    client_sender,
    requests_sender,
    walk,
)

pytestmark = pytest.mark.slow  # runs `flask concierge privacy …` as an operator does

SERVER_ENV = {"CONCIERGE_ADMIN_TOKEN": ADMIN_TOKEN, "CONCIERGE_MERCHANT_KEY": MERCHANT_KEY}


def flask(*args: str, data: Path | str = "memory", stdin: str = "",
          **env: str) -> subprocess.CompletedProcess:
    """Run `flask --app wsgi concierge privacy …` as a shell would."""
    environ = {**os.environ, "MONGO_URI": "", "CONCIERGE_DATA_DIR": str(data),
               "LOG_LEVEL": "WARNING", **env}
    environ.pop("CONCIERGE_ADMIN_TOKEN", None)
    return subprocess.run([str(Path(sys.executable).with_name("flask")), "--app", "wsgi",
                           "concierge", "privacy", *args], cwd=ROOT, env=environ,
                          input=stdin, capture_output=True, text=True, timeout=120)


def _counts(export: dict) -> dict[str, int]:
    return {name: len(docs) for name, docs in export["collections"].items() if docs}


@pytest.mark.live
def test_through_the_running_server_and_never_beside_it(tmp_path):
    data = tmp_path / "data"
    with gunicorn(tmp_path, CONCIERGE_DATA_DIR=str(data), **SERVER_ENV) as server:
        send = requests_sender(server.url)
        jordan, casey = walk(send, Shopper(*JORDAN)), walk(send, Shopper(*CASEY))
        # The server holds the folder: opening it beside the server is refused, nothing done.
        refused = flask("erase", jordan.email, "--yes", data=data)
        assert refused.returncode == 1
        assert "A server (pid " in refused.stderr
        assert f"holds the data folder {data}" in refused.stderr
        assert "--url http://127.0.0.1:8000 --token" in refused.stderr
        through = ("--url", server.url, "--token", ADMIN_TOKEN)
        exported = flask("export", " Jordan.Lee@example.com", *through)
        assert exported.returncode == 0, exported.stderr
        found = json.loads(exported.stdout)
        assert found["email"] == jordan.email
        assert _counts(found)["stylistTickets"] == 1
        assert f"document(s) hold {jordan.email}" in exported.stderr
        erased = flask("erase", jordan.email, "--yes", *through)
        assert erased.returncode == 0, erased.stderr
        assert f"holding {jordan.email}:" in erased.stdout
        assert "stylistTickets" in erased.stdout
        assert send("POST", "/orders/lookup",
                    json={"orderNumber": jordan.order, "email": jordan.email})[0] == 404
        again = json.loads(flask("export", jordan.email, *through).stdout)
        assert _counts(again) == {}
        other = json.loads(flask("export", casey.email, *through).stdout)
        assert _counts(other)["stylistTickets"] == 1
        wrong = flask("export", jordan.email, "--url", server.url, "--token", "wrong")
        assert wrong.returncode == 1
        assert "answered 401" in wrong.stderr


@pytest.mark.live
def test_on_a_data_folder_no_server_holds_the_command_opens_it(tmp_path):
    data = tmp_path / "data"
    with gunicorn(tmp_path, CONCIERGE_DATA_DIR=str(data), **SERVER_ENV) as server:
        send = requests_sender(server.url)
        jordan, casey = walk(send, Shopper(*JORDAN)), walk(send, Shopper(*CASEY))
    exported = flask("export", jordan.email, data=data)
    assert exported.returncode == 0, exported.stderr
    assert _counts(json.loads(exported.stdout))["widgetInspiration"] == 1
    erased = flask("erase", jordan.email, "--yes", data=data)
    assert erased.returncode == 0, erased.stderr
    # A server started afterwards on the folder finds nothing of hers: the erasure is on disk.
    with gunicorn(tmp_path, CONCIERGE_DATA_DIR=str(data), **SERVER_ENV) as server:
        send = requests_sender(server.url)
        admin = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
        status, found = send("GET", "/admin/privacy/export", params={"email": jordan.email},
                             headers=admin)
        assert status == 200
        assert _counts(found) == {}
        status, found = send("GET", "/admin/privacy/export", params={"email": casey.email},
                             headers=admin)
        assert _counts(found)["widgetInspiration"] == 1
        assert send("POST", "/orders/lookup", json={
            "orderNumber": jordan.order, "email": jordan.email})[0] == 404


def test_in_memory_there_is_no_store_to_reach_so_it_refuses():
    refused = flask("erase", "jordan.lee@example.com", "--yes")
    assert refused.returncode == 1
    assert "CONCIERGE_DATA_DIR=memory" in refused.stderr
    assert "--url" in refused.stderr


@pytest.mark.parametrize("command", ["export", "erase"])
def test_a_malformed_email_is_a_usage_error(mongodb_runner, command):
    result = mongodb_runner.invoke(args=["concierge", "privacy", command, "jordan@", "--yes"]
                                   if command == "erase" else
                                   ["concierge", "privacy", command, "jordan@"])
    assert result.exit_code == 2
    assert "Not a valid email address." in result.output


@pytest.fixture
def on_mongodb(mongodb_app, mongodb_runner) -> Shopper:
    """Jordan and Casey's journeys on the MONGO_URI app (seeded as `make seed` does)."""
    assert mongodb_runner.invoke(args=["concierge", "seed"]).exit_code == 0
    send = client_sender(mongodb_app.test_client())
    walk(send, Shopper(*CASEY))
    return walk(send, Shopper(*JORDAN))


def test_on_mongodb_export_and_erase_go_straight_to_the_database(mongodb_runner, mongodb,
                                                                 on_mongodb):
    email = on_mongodb.email
    exported = mongodb_runner.invoke(args=["concierge", "privacy", "export", email])
    assert exported.exit_code == 0, exported.output
    assert mongodb.stylistTickets.count_documents({"email": email}) == 1
    erased = mongodb_runner.invoke(args=["concierge", "privacy", "erase", email, "--yes"])
    assert erased.exit_code == 0, erased.output
    assert mongodb.stylistTickets.count_documents({"email": email}) == 0
    assert mongodb.orders.count_documents({"email": email}) == 0
    assert mongodb.orders.count_documents({"email": "casey.morgan@example.com"}) == 2
    entry = mongodb.audit.find_one({"action": "privacy.erased"})
    assert entry["who"]["via"] == "command line"


def test_erase_asks_before_it_erases(mongodb_runner, mongodb, on_mongodb):
    args = ["concierge", "privacy", "erase", on_mongodb.email]
    declined = mongodb_runner.invoke(args=args, input="n\n")
    assert declined.exit_code == 1
    assert "Aborted" in declined.output
    assert mongodb.stylistTickets.count_documents({"email": on_mongodb.email}) == 1
    accepted = mongodb_runner.invoke(args=args, input="y\n")
    assert accepted.exit_code == 0, accepted.output
    assert mongodb.stylistTickets.count_documents({"email": on_mongodb.email}) == 0
