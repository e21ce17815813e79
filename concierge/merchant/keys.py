"""API keys: created once, stored as a SHA-256 hash, checked in constant time."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from ..clock import now
from . import repository

SCOPES = ("catalog:write", "orders:write")
PREFIX = "cmk"
BOOTSTRAP_ID = "CONCIERGE_MERCHANT_KEY"
# lastUsedAt is kept to the minute: one write a minute per key, not one per request.
TOUCH_EVERY = timedelta(minutes=1)
# Compared with when no stored key has the id, so an unknown id costs the same comparison.
NO_KEY_HASH = "0" * 64


@dataclass(frozen=True)
class Caller:
    """Who a valid key belongs to and what it may do."""

    key_id: str
    name: str
    scopes: frozenset[str]


def digest(key: str) -> str:
    """Return the hex SHA-256 of a key (what is stored)."""
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def create(name: str, scopes: list[str]) -> tuple[str, dict]:
    """Create a key; return the key itself (shown once) and its stored record."""
    key_id = secrets.token_hex(6)
    # 256 random bits: a plain SHA-256 at rest is enough, no slow hash needed.
    key = f"{PREFIX}_{key_id}_{secrets.token_urlsafe(32)}"
    doc = {"_id": key_id, "name": name, "scopes": sorted(set(scopes)), "hash": digest(key),
           "createdAt": now(), "lastUsedAt": None, "revokedAt": None}
    repository.insert_key(doc)
    return key, doc


def key_id_of(key: str) -> str | None:
    """Return the id part of a key in our format, else None."""
    parts = key.split("_", 2)
    if len(parts) == 3 and parts[0] == PREFIX and len(parts[1]) == 12:
        return parts[1]
    return None


def authenticate(key: str, bootstrap: str) -> Caller | None:
    """Return the caller a key belongs to, or None for a wrong or revoked key."""
    given = digest(key)
    # Both comparisons always run, so timing tells nothing about either key.
    is_bootstrap = bool(bootstrap) & hmac.compare_digest(given, digest(bootstrap))
    key_id = key_id_of(key)
    doc = repository.find_key(key_id) if key_id else None
    stored = doc["hash"] if doc else NO_KEY_HASH
    matches = hmac.compare_digest(given, stored) and doc is not None
    if is_bootstrap:
        return Caller(BOOTSTRAP_ID, BOOTSTRAP_ID, frozenset(SCOPES))
    if not matches or doc.get("revokedAt"):
        return None
    at = now()
    last = doc.get("lastUsedAt")
    if last is None or at - last >= TOUCH_EVERY:
        repository.touch_key(doc["_id"], at)
    return Caller(doc["_id"], doc["name"], frozenset(doc["scopes"]))
