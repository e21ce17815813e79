"""Find, export and erase one shopper's data by walking the registry."""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime

from bson import ObjectId

from .. import audit, events, outbox
from ..clock import now
from ..db import get_db, get_store
from ..schemas import iso_z
from ..text import normal_email
from . import repository
from .registry import EMAIL, HOLDINGS

ERASED_EVENT = "privacy.erased"
EXPORT_REQUESTED_EVENT = "privacy.export_requested"
EVERYONE = "everyone"  # the audit's target of an erasure of every shopper (shop/redact)


def email_hash(email: str) -> str:
    """Return the SHA-256 (hex) of the normalised email: what the audit and the event keep."""
    return hashlib.sha256(normal_email(email).encode()).hexdigest()


def _value(doc: dict, path: str):
    for part in path.split("."):
        doc = doc.get(part) if isinstance(doc, dict) else None
    return doc


def find(db, email: str) -> dict[str, list[dict]]:
    """Return every document holding the shopper's data, by collection (each once)."""
    known: dict[str, set] = {EMAIL: {normal_email(email)}}
    found: dict[str, dict] = {holding.collection: {} for holding in HOLDINGS}
    grown = True
    while grown:  # until no document found gives an identifier not yet known
        grown = False
        for holding in HOLDINGS:
            query = holding.query(known)
            if query is None:
                continue
            for doc in repository.find(db, holding, query):
                found[holding.collection].setdefault(doc["_id"], doc)
                for name, kind in holding.leads_to.items():
                    value = _value(doc, name)
                    if value and value not in known.setdefault(kind, set()):
                        known[kind].add(value)
                        grown = True
    return {name: list(docs.values()) for name, docs in found.items()}


def find_counts(email: str) -> dict[str, int]:
    """Count what an erasure would remove, by collection (nothing is changed or audited)."""
    events.flush()
    return {name: len(docs) for name, docs in find(get_db(), email).items()}


def _exported(value):
    if isinstance(value, datetime):
        return iso_z(value)
    if isinstance(value, dict):
        return {k: _exported(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_exported(v) for v in value]
    if isinstance(value, ObjectId):
        return str(value)
    if isinstance(value, bytes):  # an image's chunk: her photo is hers too
        return base64.b64encode(value).decode()
    return value


def export(email: str, who: dict) -> dict:
    """Return every stored document holding the shopper's data; audit the request."""
    events.flush()  # her widget's latest analytics, still queued, are hers too
    found = find(get_db(), email)
    audit.record("privacy.exported", email_hash(email), who=who,
                 counts={name: len(docs) for name, docs in found.items() if docs})
    return {"email": normal_email(email), "generatedAt": now(),
            "collections": {name: _exported(docs) for name, docs in found.items()}}


def erase(email: str, who: dict) -> dict:
    """Erase the shopper's data (idempotent); audit it and queue privacy.erased."""
    events.flush()
    db, at, digest = get_db(), now(), email_hash(email)
    found = find(db, email)

    def remove(transaction) -> dict[str, int]:
        counts = {}
        # What was found through a document goes before it: without a transaction (a
        # standalone MongoDB), a run cut short and run again still finds the rest.
        for holding in reversed(HOLDINGS):
            ids = [doc["_id"] for doc in found[holding.collection]]
            counts[holding.collection] = (
                repository.redact(db, holding, ids, at, transaction.session)
                if holding.kept_because else
                repository.delete(db, holding, ids, transaction.session))
        counts = {holding.collection: counts[holding.collection] for holding in HOLDINGS}
        outbox.enqueue(db, ERASED_EVENT, {"emailHash": digest, "erased": counts,
                                          "erasedAt": at}, session=transaction.session)
        return counts

    counts = get_store().run_transaction(remove)  # all or nothing where the store can
    audit.record(ERASED_EVENT, digest, who=who, counts=counts)
    return {"email": normal_email(email), "erased": counts}


def export_requested(email: str, who: dict, **request) -> dict:
    """Prepare a shopper's export for a request made elsewhere (a platform's data request).

    The export is audited as any export; `privacy.export_requested` tells the store's
    systems, which fetch it from the admin API or the console. Returns the counts.
    """
    found = export(email, who)["collections"]
    counts = {name: len(docs) for name, docs in found.items()}
    outbox.enqueue(get_db(), EXPORT_REQUESTED_EVENT, {
        "email": normal_email(email), "emailHash": email_hash(email), "counts": counts,
        "requestedAt": now(), **request})
    return counts


def erase_everyone(who: dict) -> dict[str, int]:
    """Erase every shopper's data (a platform's shop redaction); audit it, queue privacy.erased."""
    events.flush()
    db, at = get_db(), now()

    def remove(transaction) -> dict[str, int]:
        counts = {}
        for holding in reversed(HOLDINGS):
            counts[holding.collection] = (
                repository.redact_all(db, holding, at, transaction.session)
                if holding.kept_because else
                repository.delete_all(db, holding, transaction.session))
        counts = {holding.collection: counts[holding.collection] for holding in HOLDINGS}
        outbox.enqueue(db, ERASED_EVENT, {"emailHash": None, "everyone": True,
                                          "erased": counts, "erasedAt": at},
                       session=transaction.session)
        return counts

    counts = get_store().run_transaction(remove)
    audit.record(ERASED_EVENT, EVERYONE, who=who, counts=counts)
    return counts
