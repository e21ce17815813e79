"""Against a real MongoDB (MONGO_URI): indexes, partial uniqueness, TTL, seeding."""


import pytest
from pymongo.errors import DuplicateKeyError

from concierge.db import INDEXES, get_db
from concierge.seeding import seed

pytestmark = pytest.mark.mongo


def test_real_server_gets_every_declared_index(real_app):
    with real_app.app_context():
        db = get_db()
        for index in INDEXES:
            assert index.name in db[index.collection].index_information()


def test_real_partial_unique_index_allows_one_active_hold(real_app):
    with real_app.app_context():
        holds = get_db().capsuleHolds
        holds.insert_one({"holdId": "a", "capsuleId": "c", "email": "e", "slot": 0,
                          "status": "active"})
        with pytest.raises(DuplicateKeyError):
            holds.insert_one({"holdId": "b", "capsuleId": "c", "email": "e", "slot": 1,
                              "status": "active"})
        holds.insert_one({"holdId": "c", "capsuleId": "c", "email": "e", "slot": 0,
                          "status": "released"})


def test_real_seed_is_idempotent(real_app):
    with real_app.app_context():
        seed(get_db())
        assert all(c["inserted"] == 0 for c in seed(get_db()).values())


def test_real_health_is_ok(real_app):
    assert real_app.test_client().get("/api/concierge/health").get_json()["database"] == "ok"
