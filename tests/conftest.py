"""Fixtures shared by every test: app, client, db, clock, runner, live_server."""

from __future__ import annotations

import os
import secrets

import mongomock
import pymongo
import pytest

from concierge import create_app

# Apps built in tests keep nothing on disk unless a test gives them a data folder (the
# servers of tests/support/live.py get one each); nothing a test writes lands in the project's var/.
os.environ.setdefault("CONCIERGE_DATA_DIR", "memory")

from .outbox.servers import MailServer
from .support.clock import Clock
from .support.live import gunicorn
from .support.queries import QueryLog
from .support.races import Races


def pytest_collection_modifyitems(items):
    """Mark every test that starts a server or a browser `slow`: it waits on real time.

    Then put the files with the most slow tests first, each file's tests kept together
    and in order: xdist (--dist loadfile) hands files out in this order, so the longest
    ones start at once instead of running alone at the end while the other workers idle.
    """
    weight: dict[str, int] = {}
    for item in items:
        if item.get_closest_marker("live") or item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)
        slow = item.get_closest_marker("slow") is not None
        weight[item.location[0]] = weight.get(item.location[0], 0) + slow
    items.sort(key=lambda item: -weight[item.location[0]])


@pytest.fixture
def clock() -> Clock:
    """The app's clock: real time until the test sets or advances it."""
    return Clock()


@pytest.fixture
def config(clock) -> dict:
    """Settings for the app under test; override in a test module to change them."""
    # No delivery threads per test app; the outbox tests start them where they test them.
    return {"TESTING": True, "MONGO_URI": "", "CONCIERGE_DATA_DIR": "memory",
            "RATELIMIT_ENABLED": False,
            "LOG_LEVEL": "WARNING", "CLOCK": clock, "OUTBOX_WORKER": False}


@pytest.fixture
def app(config):
    """An app on a fresh, seeded embedded store."""
    return create_app(config)


@pytest.fixture
def client(app):
    """A test client for the app."""
    return app.test_client()


@pytest.fixture
def db(app):
    """The app's database (no app context is left pushed, so requests keep their own g)."""
    return app.extensions["concierge_store"].database()


@pytest.fixture
def runner(app):
    """A runner for the app's CLI commands."""
    return app.test_cli_runner()


@pytest.fixture
def session_id() -> str:
    """A fresh widget session id."""
    return secrets.token_urlsafe(18)


@pytest.fixture
def session_headers(session_id) -> dict:
    """Headers the widget sends."""
    return {"X-Concierge-Session": session_id}


def _mail_server():
    server = MailServer().up()
    yield server
    server.down()


@pytest.fixture
def mail():
    """A real local SMTP server (aiosmtpd) the test's emails go to."""
    yield from _mail_server()


@pytest.fixture(scope="module")
def module_mail():
    """A real local SMTP server shared by a module's tests (and its module-scoped server)."""
    yield from _mail_server()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """A real gunicorn server (one worker, eight threads) on the embedded default."""
    with gunicorn(tmp_path_factory.mktemp("live")) as server:
        yield server


@pytest.fixture
def mongo_uri() -> str:
    """The real MongoDB to test against; skip with the reason when there is none."""
    uri = os.environ.get("MONGO_URI")
    if not uri:
        pytest.skip("needs a real MongoDB server: set MONGO_URI to run it")
    return uri


@pytest.fixture
def real_app(mongo_uri, config):
    """An app on the real MongoDB, in a database of its own, removed afterwards."""
    name = os.environ.get("MONGO_TEST_DB") or f"concierge_test_{secrets.token_hex(4)}"
    app = create_app({**config, "MONGO_URI": mongo_uri, "MONGO_DB": name})
    yield app
    store = app.extensions["concierge_store"]
    drop_test_database(store.database())
    store.close()


def drop_test_database(database) -> None:
    """Drop the database, or, for a user with readWrite only (Atlas), each collection."""
    try:
        database.client.drop_database(database.name)
    except pymongo.errors.OperationFailure as error:
        if error.code != UNAUTHORIZED:
            raise
        for name in database.list_collection_names():
            database.drop_collection(name)


@pytest.fixture
def query_log(app):
    """Record every query the app sends to its embedded store."""
    log = QueryLog()
    app.extensions["concierge_store"].observers.append(log)
    yield log
    app.extensions["concierge_store"].observers.remove(log)


@pytest.fixture
def races(app):
    """Make the app lose a race on demand: races.before(collection, method, competitor)."""
    races = Races(app.extensions["concierge_store"])
    yield races
    races.close()


@pytest.fixture
def spec(client) -> dict:
    """The app's OpenAPI document."""
    return client.get("/api/concierge/openapi.json").get_json()


UNAUTHORIZED = 13  # MongoDB's code for a command the user's roles do not allow
MOCK_MONGO = ("mongo.test", 27017)
MOCK_MONGO_URI = "mongodb://mongo.test:27017/"


@pytest.fixture
def mongodb_app(config):
    """An app configured with a MONGO_URI, whose MongoDB is mongomock behind pymongo's client.

    For what only MONGO_URI deployments do (the data-changing CLI commands); the
    server's real-MongoDB behaviour is tested with the `mongo` marker.
    """
    with mongomock.patch(servers=(MOCK_MONGO,)):
        yield create_app({**config, "MONGO_URI": MOCK_MONGO_URI})


@pytest.fixture
def mongodb_runner(mongodb_app):
    """A CLI runner for the MONGO_URI app."""
    return mongodb_app.test_cli_runner()


@pytest.fixture
def mongodb(mongodb_app):
    """The MONGO_URI app's database."""
    return mongodb_app.extensions["concierge_store"].database()
