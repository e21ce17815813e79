"""The data-changing commands refuse the embedded store and report MongoDB in one line."""

import pytest

from concierge import create_app

from .support.live import free_port
from .test_backup import flask


@pytest.mark.parametrize(("command", "instead"), [
    (["flags"], "staff console (/console on the running server)"),
    (["flags", "--enable", "--canary", "10"], "or set MONGO_URI"),
    (["init-db"], "creates its indexes"),
])
def test_without_mongo_uri_the_command_refuses_and_says_what_to_do(runner, db, command,
                                                                   instead):
    before = db.featureFlags.find_one({})
    result = runner.invoke(args=["concierge", *command])
    assert result.exit_code == 1
    assert result.output.startswith("Error: No MONGO_URI: the embedded store lives in the "
                                    "memory of the running server")
    assert instead in result.output
    assert db.featureFlags.find_one({}) == before


@pytest.mark.parametrize("command", [["flags", "--disable"], ["seed"], ["init-db"]])
@pytest.mark.slow  # waits for the server selection timeout
def test_an_unreachable_mongo_uri_is_one_line_without_credentials(config, command):
    port = free_port()
    app = create_app({**config, "MONGO_URI": f"mongodb://admin:s3cret@127.0.0.1:{port}/"})
    try:
        result = app.test_cli_runner().invoke(args=["concierge", *command])
    finally:
        app.extensions["concierge_store"].close()
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert result.output.startswith(f"Error: MongoDB at mongodb://127.0.0.1:{port}/ did not "
                                    "answer: ")
    assert "Connection refused" in result.output
    assert "s3cret" not in result.output


@pytest.mark.parametrize("command", [["seed"], ["init-store"]])
def test_a_store_command_on_a_throwaway_store_refuses(runner, db, command):
    before = list(db.products.find({}, {"_id": 1}))
    result = runner.invoke(args=["concierge", *command])
    assert result.exit_code == 1
    assert "CONCIERGE_DATA_DIR=memory keeps nothing" in result.output
    assert list(db.products.find({}, {"_id": 1})) == before


def folder_app(folder, **settings):
    return create_app({"TESTING": True, "LOG_LEVEL": "WARNING", "OUTBOX_WORKER": False,
                       "CONCIERGE_DATA_DIR": str(folder), **settings})


@pytest.mark.slow  # a `flask concierge` process
@pytest.mark.parametrize("command", ["seed", "init-store"])
def test_a_store_command_refuses_a_folder_a_server_holds(tmp_path, command):
    server = folder_app(tmp_path, CONCIERGE_SEED="none")  # holds the folder, as gunicorn does
    try:
        result = flask(tmp_path, command)
    finally:
        server.extensions["concierge_store"].close()
    assert result.returncode == 1
    assert f"holds {tmp_path}" in result.stderr
    assert "Stop the server first" in result.stderr


@pytest.mark.slow  # a `flask concierge` process
def test_init_store_prepares_a_production_store_without_demo_data(tmp_path):
    result = flask(tmp_path, "init-store", CONCIERGE_SEED="none")
    assert result.returncode == 0, result.stderr
    assert "the concierge on for shoppers, no demo data" in result.stdout
    store = folder_app(tmp_path, CONCIERGE_SEED="none").extensions["concierge_store"]
    db = store.database()
    assert db.featureFlags.find_one({})["enabled"] is True
    assert db.products.count_documents({}) == db.orders.count_documents({}) == 0
    store.close()


@pytest.mark.slow  # a `flask concierge` process
def test_seed_refuses_to_mix_demo_data_into_a_store_s_own(tmp_path):
    server = folder_app(tmp_path, CONCIERGE_SEED="none")
    store = server.extensions["concierge_store"]
    store.database().products.insert_one({"_id": "OWN-1", "sku": "OWN-1", "name": "Ours"})
    store.close()
    result = flask(tmp_path, "seed")
    assert result.returncode == 1
    assert "holds its own products" in result.stderr
    again = folder_app(tmp_path, CONCIERGE_SEED="none").extensions["concierge_store"]
    assert [doc["_id"] for doc in again.database().products.find()] == ["OWN-1"]
    again.close()


@pytest.mark.slow  # a `flask concierge` process
def test_seed_loads_the_demo_into_an_empty_store_and_changes_nothing_the_second_time(tmp_path):
    first = flask(tmp_path, "seed", CONCIERGE_SEED="none")
    assert first.returncode == 0, first.stderr
    assert "224 inserted" in first.stdout
    second = flask(tmp_path, "seed", CONCIERGE_SEED="none")
    assert second.returncode == 0, second.stderr
    assert "0 inserted  224 already present" in second.stdout
