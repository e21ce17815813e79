"""flask concierge backup, restore and copy-to-mongo, run as an operator runs them."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import mongomock
import pytest

from concierge import backup, create_app, durable
from concierge.config import Config
from concierge.db import INDEXES, Store

from .conftest import MOCK_MONGO, MOCK_MONGO_URI
from .support.live import ROOT

pytestmark = pytest.mark.slow  # runs `flask concierge …` as an operator does: a process each


def flask(data: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """Run `flask --app wsgi concierge …` on a data folder, as a shell would."""
    environ = {**os.environ, "MONGO_URI": "", "CONCIERGE_DATA_DIR": str(data),
               "LOG_LEVEL": "WARNING", **env}
    return subprocess.run([str(Path(sys.executable).with_name("flask")), "--app", "wsgi",
                           "concierge", *args], cwd=ROOT, env=environ, capture_output=True,
                          text=True, timeout=120)


def stored(data: Path) -> dict[str, list]:
    store = Store(Config(CONCIERGE_DATA_DIR=str(data)))
    db = store.database()
    found = {name: sorted(map(str, db[name].find())) for name in db.list_collection_names()}
    store.close()
    return found


@pytest.fixture
def data(tmp_path) -> Path:
    """A data folder holding the seed data and a few writes of its own."""
    folder = tmp_path / "data"
    app = create_app({"TESTING": True, "CONCIERGE_DATA_DIR": str(folder),
                      "LOG_LEVEL": "WARNING", "OUTBOX_WORKER": False})
    db = app.extensions["concierge_store"].database()
    db.widgetShortlists.insert_many([{"shortlistId": f"sl-{n}", "skus": []} for n in range(50)])
    app.extensions["concierge_store"].close()
    return folder


def test_backup_then_restore_gives_back_the_store_as_it_was(data, tmp_path):
    before = stored(data)
    made = flask(data, "backup", str(tmp_path / "store.backup"))
    assert made.returncode == 0, made.stderr
    assert "Backed up 284 documents in 6 collections" in made.stdout
    store = Store(Config(CONCIERGE_DATA_DIR=str(data)))
    store.database().products.delete_many({})  # a mistake to undo
    store.close()
    restored = flask(data, "restore", str(tmp_path / "store.backup"))
    assert restored.returncode == 0, restored.stderr
    assert "Restored 284 documents" in restored.stdout
    assert stored(data) == before


def test_a_backup_taken_during_writes_is_one_consistent_moment(data, tmp_path):
    store = Store(Config(CONCIERGE_DATA_DIR=str(data)))
    db, stop = store.database(), threading.Event()

    def write() -> None:  # each pair of writes moves one unit from a to b
        n = 0
        while not stop.is_set():
            n += 1
            db.ledger.insert_one({"_id": f"a{n}", "side": "a"})
            db.ledger.insert_one({"_id": f"b{n}", "side": "b"})

    writer = threading.Thread(target=write)
    writer.start()
    try:
        copies = [backup.backup(data, tmp_path / f"copy-{n}") for n in range(5)]
    finally:
        stop.set()
        writer.join()
        store.close()
    for n, _ in enumerate(copies):
        copy = durable.connect(tmp_path / f"copy-{n}", read_only=True)
        durable.check_file(copy, tmp_path / f"copy-{n}", thorough=True)  # every page whole
        sides = [doc["side"] for _, coll, doc in durable.rows(copy) if coll == "ledger"]
        copy.close()
        assert sides.count("a") - sides.count("b") in (0, 1)  # writes in order, none half


def test_restore_refuses_while_a_server_holds_the_folder(data, tmp_path):
    assert flask(data, "backup", str(tmp_path / "store.backup")).returncode == 0
    store = Store(Config(CONCIERGE_DATA_DIR=str(data)))
    store.database()  # holds the folder, as a running server does
    try:
        refused = flask(data, "restore", str(tmp_path / "store.backup"))
    finally:
        store.close()
    assert refused.returncode == 1
    assert f"a server holds the data folder {data}" in refused.stderr
    assert "Nothing was changed." in refused.stderr


@pytest.mark.parametrize("content", [b"", b"not a backup at all" * 50, b"SQLite format 3\x00"],
                         ids=["empty", "text", "torn header"])
def test_a_file_that_is_not_a_backup_is_refused_without_touching_the_store(data, tmp_path,
                                                                           content):
    before = stored(data)
    bogus = tmp_path / "bogus.backup"
    bogus.write_bytes(content)
    refused = flask(data, "restore", str(bogus))
    assert refused.returncode == 1
    assert "Nothing was changed." in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1 or "Checking" in refused.stderr
    assert stored(data) == before


def test_backup_needs_a_store_to_copy(tmp_path):
    empty = tmp_path / "nothing-here"
    empty.mkdir()
    refused = flask(empty, "backup", str(tmp_path / "x.backup"))
    assert refused.returncode == 1
    assert f"there is no store in {empty}" in refused.stderr
    in_memory = flask(Path("memory"), "backup", str(tmp_path / "x.backup"))
    assert "keeps nothing on disk" in in_memory.stderr


def copy_app(data: Path):
    return create_app({"TESTING": True, "MONGO_URI": MOCK_MONGO_URI, "LOG_LEVEL": "WARNING",
                       "CONCIERGE_DATA_DIR": str(data), "OUTBOX_WORKER": False})


def test_copy_to_mongo_copies_every_document_and_index_and_can_run_again(data):
    with mongomock.patch(servers=(MOCK_MONGO,)):
        app = copy_app(data)
        runner = app.test_cli_runner()
        first = runner.invoke(args=["concierge", "copy-to-mongo"])
        assert first.exit_code == 0, first.output
        mongo = app.extensions["concierge_store"].database()
        assert mongo.products.count_documents({}) == 224
        assert mongo.widgetShortlists.count_documents({}) == 50
        assert "products                        224 copied: 224 new" in first.output
        names = {name for c in {i.collection for i in INDEXES}
                 for name in mongo[c].index_information()}
        assert {index.name for index in INDEXES} <= names
        again = runner.invoke(args=["concierge", "copy-to-mongo"])
        assert again.exit_code == 0, again.output
        assert "224 copied: 0 new, 0 updated, 224 unchanged" in again.output
        assert mongo.products.count_documents({}) == 224


def test_copy_to_mongo_needs_mongo_uri(data):
    refused = flask(data, "copy-to-mongo")
    assert refused.returncode == 1
    assert "Set MONGO_URI to the MongoDB to copy into" in refused.stderr


def test_backup_with_mongo_uri_points_to_mongodump(data):
    with mongomock.patch(servers=(MOCK_MONGO,)):
        result = copy_app(data).test_cli_runner().invoke(args=["concierge", "backup", "x"])
    assert result.exit_code == 1
    assert "mongodump" in result.output
