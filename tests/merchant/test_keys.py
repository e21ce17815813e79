"""API keys: printed once, stored as a SHA-256 hash, scoped, revocable, bootstrapped."""

from __future__ import annotations

import base64
import hashlib
from datetime import timedelta

import pytest

from concierge.merchant import keys, repository

from .conftest import API, BOOTSTRAP, product_body


def test_a_key_is_stored_only_as_its_sha256(app, db, make_key):
    key, record = make_key("catalog:write")
    stored = db.apiKeys.find_one({"_id": record["_id"]})
    assert stored["hash"] == hashlib.sha256(key.encode()).hexdigest()
    assert key not in str(stored)
    assert stored["scopes"] == ["catalog:write"]
    assert stored["createdAt"] is not None
    assert stored["lastUsedAt"] is None
    assert stored["revokedAt"] is None
    assert set(stored) == {"_id", "name", "scopes", "hash", "createdAt", "lastUsedAt",
                           "revokedAt"}


def test_a_key_is_its_prefix_its_id_and_256_random_bits(make_key):
    key, record = make_key("catalog:write")
    prefix, key_id, secret = key.split("_", 2)
    assert (prefix, key_id) == ("cmk", record["_id"])
    assert len(key_id) == 12
    assert len(base64.urlsafe_b64decode(secret + "=")) == 32


def test_two_keys_never_repeat(make_key):
    first, second = make_key("catalog:write")[0], make_key("catalog:write")[0]
    assert first != second
    assert len(first) > 40


def test_a_created_key_works_and_records_its_last_use(client, db, make_key):
    key, record = make_key("catalog:write")
    answer = client.put(f"{API}/products/AUR-KEY-0001", json=product_body(),
                        headers={"Authorization": f"Bearer {key}"})
    assert answer.status_code == 201
    assert db.apiKeys.find_one({"_id": record["_id"]})["lastUsedAt"] is not None


def test_a_revoked_key_is_refused(app, client, make_key):
    from concierge.clock import now

    key, record = make_key("catalog:write")
    with app.app_context():
        repository.revoke_key(record["_id"], now())
    answer = client.delete(f"{API}/products/AUR-DR-0001",
                           headers={"Authorization": f"Bearer {key}"})
    assert answer.status_code == 401


def test_a_key_with_the_right_id_but_wrong_secret_is_refused(client, make_key):
    key, _ = make_key("catalog:write")
    forged = key[:-4] + ("AAAA" if not key.endswith("AAAA") else "BBBB")
    answer = client.delete(f"{API}/products/AUR-DR-0001",
                           headers={"Authorization": f"Bearer {forged}"})
    assert answer.status_code == 401


def test_the_bootstrap_key_has_every_scope(client, auth):
    assert client.put(f"{API}/products/AUR-KEY-0002", json=product_body(),
                      headers=auth).status_code == 201
    assert client.post(f"{API}/orders/GG-11982/events", headers=auth, json={
        "eventId": "boot-1", "status": "in_transit", "at": "2020-01-01T00:00:00Z",
        "description": "Scan"}).status_code == 201


@pytest.mark.parametrize("config", [{"TESTING": True, "LOG_LEVEL": "WARNING"}])
def test_without_a_bootstrap_key_an_empty_bearer_matches_nothing(client, config):
    for header in ("Bearer ", "Bearer -", f"Bearer {BOOTSTRAP}"):
        answer = client.delete(f"{API}/products/AUR-DR-0001",
                               headers={"Authorization": header})
        assert answer.status_code == 401


@pytest.mark.parametrize("command", [
    ["api-keys", "create", "--name", "sync", "--scope", "catalog:write"],
    ["api-keys", "list"],
    ["api-keys", "revoke", "abc"],
])
def test_key_commands_refuse_the_embedded_default(runner, command):
    result = runner.invoke(args=["concierge", *command])
    assert result.exit_code != 0
    assert "CONCIERGE_MERCHANT_KEY" in result.output
    assert "Created" not in result.output


def test_create_needs_a_known_scope(runner):
    result = runner.invoke(args=["concierge", "api-keys", "create", "--name", "x",
                                 "--scope", "admin"])
    assert result.exit_code == 2
    assert "catalog:write" in result.output


def test_a_short_bootstrap_key_refuses_to_start():
    from concierge import create_app
    from concierge.config import ConfigError

    with pytest.raises(ConfigError, match="CONCIERGE_MERCHANT_KEY is too short"):
        create_app({"TESTING": True, "CONCIERGE_MERCHANT_KEY": "short"})


def test_last_use_is_written_at_most_once_a_minute(client, db, make_key, clock):
    clock.freeze()
    key, record = make_key("catalog:write")
    headers = {"Authorization": f"Bearer {key}"}
    client.delete(f"{API}/products/AUR-DR-0001", headers=headers)
    first = db.apiKeys.find_one({"_id": record["_id"]})["lastUsedAt"]
    client.delete(f"{API}/products/AUR-DR-0001", headers=headers)
    assert db.apiKeys.find_one({"_id": record["_id"]})["lastUsedAt"] == first
    clock.advance(minutes=2)
    client.delete(f"{API}/products/AUR-DR-0001", headers=headers)
    assert db.apiKeys.find_one({"_id": record["_id"]})["lastUsedAt"] > first


def test_keys_are_listed_oldest_first(app, make_key, clock):
    start = clock.freeze()
    for name, offset in (("newest", 2), ("oldest", 0), ("middle", 1)):
        clock.set(start + timedelta(minutes=offset))
        make_key("catalog:write", name=name)
    with app.app_context():
        assert [doc["name"] for doc in repository.list_keys()] == ["oldest", "middle", "newest"]


def test_a_revoke_answers_the_key_it_revoked_and_keeps_the_first_time(app, make_key, clock):
    first_revoked = clock.freeze()
    make_key("catalog:write", name="other")
    _, record = make_key("orders:write", name="sync")
    with app.app_context():
        revoked = repository.revoke_key(record["_id"], clock())
        clock.advance(hours=1)
        again = repository.revoke_key(record["_id"], clock())
        unknown = repository.revoke_key("000000000000", clock())
    assert (revoked["_id"], revoked["name"], revoked["revokedAt"]) == (
        record["_id"], "sync", first_revoked)
    assert again["revokedAt"] == first_revoked
    assert unknown is None


@pytest.mark.parametrize(("token", "lookups"), [
    ("cmk_0123456789ab_secret", 1),  # our format: the id is looked up, the secret fails
    ("ghp_0123456789ab_secret", 0),
    ("cmk_0123456789a_secret", 0),
    ("cmk_0123456789abc_secret", 0),
    ("no-underscores-at-all", 0),
])
def test_only_a_bearer_in_our_key_format_costs_a_key_lookup(client, query_log, token, lookups):
    answer = client.delete(f"{API}/products/AUR-DR-0001",
                           headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 401
    assert len([q for q in query_log.queries if q["collection"] == "apiKeys"]) == lookups


@pytest.mark.parametrize(("elapsed", "rewritten"), [
    (timedelta(seconds=59, milliseconds=999), False), (timedelta(minutes=1), True)])
def test_last_use_is_rewritten_once_a_full_minute_has_passed(client, db, make_key, clock,
                                                            elapsed, rewritten):
    first = clock.freeze()
    key, record = make_key("catalog:write")
    headers = {"Authorization": f"Bearer {key}"}
    client.delete(f"{API}/products/AUR-DR-0001", headers=headers)
    clock.advance(elapsed)
    client.delete(f"{API}/products/AUR-DR-0001", headers=headers)
    last_used = db.apiKeys.find_one({"_id": record["_id"]})["lastUsedAt"]
    assert last_used == (first + elapsed if rewritten else first)


def test_a_key_authenticates_as_its_id_name_and_scopes(app, make_key):
    key, record = make_key("orders:write", "catalog:write", "orders:write", name="shopify-sync")
    with app.app_context():
        stored = keys.authenticate(key, BOOTSTRAP)
        bootstrap = keys.authenticate(BOOTSTRAP, BOOTSTRAP)
    assert stored == keys.Caller(record["_id"], "shopify-sync",
                                 frozenset({"catalog:write", "orders:write"}))
    assert bootstrap == keys.Caller("CONCIERGE_MERCHANT_KEY", "CONCIERGE_MERCHANT_KEY",
                                    frozenset(keys.SCOPES))


@pytest.mark.parametrize("config", [{
    "TESTING": True, "MONGO_URI": "", "LOG_LEVEL": "WARNING", "RATELIMIT_ENABLED": False,
    "OUTBOX_WORKER": False,
    # What os.environ hands over for a value that is not UTF-8 (surrogateescape).
    "CONCIERGE_MERCHANT_KEY": "bootstrap-key-\udcff-0123456789abcdef"}])
def test_an_undecodable_bootstrap_key_leaves_the_other_keys_working(client, make_key, config):
    key, _ = make_key("catalog:write")
    for header, status in ((f"Bearer {key}", 200), ("Bearer wrong-key", 401)):
        answer = client.delete(f"{API}/products/AUR-DR-0001", headers={"Authorization": header})
        assert answer.status_code == status
