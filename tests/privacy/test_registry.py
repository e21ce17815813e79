"""The registry knows every collection and every field where a shopper's email can be stored."""

from __future__ import annotations

import re

from concierge.db import INDEXES
from concierge.outbox.service import SUBJECT_KINDS
from concierge.privacy.registry import BY_COLLECTION, HOLDINGS, NO_SHOPPER_DATA, TAGGED

from ..console.conftest import Staff
from .shopper import ADMIN_TOKEN

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


def emails_in(doc, path: str = "") -> set[str]:
    """Return the dotted paths (arrays looked through) of string values holding an email."""
    if isinstance(doc, dict):
        return {found for key, value in doc.items()
                for found in emails_in(value, f"{path}.{key}" if path else key)}
    if isinstance(doc, list | tuple):
        return {found for value in doc for found in emails_in(value, path)}
    return {path} if isinstance(doc, str) and EMAIL.search(doc) else set()


def unknown_emails(db) -> list[tuple[str, str]]:
    """Return (collection, field) pairs holding an email that the registry does not know.

    Every collection counts: those the index list declares and those a run created.
    """
    names = set(db.list_collection_names()) | {index.collection for index in INDEXES}
    unknown = set()
    for name in sorted(names):
        holding = BY_COLLECTION.get(name)
        for doc in db[name].find():
            for path in emails_in(doc):
                if holding is None or not _known(holding, path):
                    unknown.add((name, path))
    return sorted(unknown)


def _known(holding, path: str) -> bool:
    fields = (*holding.personal, *holding.found_by)
    return any(path == name or path.startswith(f"{name}.") for name in fields)


def test_every_declared_collection_is_in_the_registry_or_said_to_hold_no_shopper_data():
    declared = {index.collection for index in INDEXES}
    registered = set(BY_COLLECTION) | set(NO_SHOPPER_DATA)
    assert declared - registered == set()
    assert not set(BY_COLLECTION) & set(NO_SHOPPER_DATA)


def test_after_every_journey_each_email_stored_is_in_a_field_the_registry_knows(
        client, db, jordan, casey):
    staff = Staff(client)
    assert staff.sign_in(ADMIN_TOKEN).status_code == 303
    staff.post(f"/console/returns/{jordan.made['rma']}/status", to="approved")
    staff.post(f"/console/tickets/{jordan.made['ticket']}/status", to="scheduled")
    names = set(db.list_collection_names())
    assert names - set(BY_COLLECTION) - set(NO_SHOPPER_DATA) == set()
    assert unknown_emails(db) == []


def test_the_check_finds_an_email_in_a_collection_or_field_it_does_not_know(db):
    db.stockAlerts.insert_one({"sku": "AUR-TP-0001", "contact": {"email": "a@example.com"}})
    db.stylistTickets.insert_one({"ticketNumber": "ST-1", "notes": ["call b@example.com"]})
    db.products.insert_one({"sku": "X-1", "description": "ask c@example.com"})
    assert unknown_emails(db) == [("products", "description"), ("stockAlerts", "contact.email"),
                                  ("stylistTickets", "notes")]


def test_a_holding_comes_after_every_holding_that_leads_to_it():
    for position, holding in enumerate(HOLDINGS):
        kinds = set(holding.found_by.values())
        if TAGGED in kinds:
            kinds = set(SUBJECT_KINDS)
        for later in HOLDINGS[position:]:
            assert not kinds & set(later.leads_to.values()), (holding.collection,
                                                              later.collection)


def test_every_holding_names_its_fields_and_the_kept_ones_say_why():
    for holding in HOLDINGS:
        assert holding.found_by, holding.collection
        assert holding.personal, holding.collection
        assert holding.kept_because is None or len(holding.kept_because) > 40
