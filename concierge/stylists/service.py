"""Open stylist tickets."""

from __future__ import annotations

import secrets

from flask import g
from marshmallow import ValidationError
from pymongo.errors import DuplicateKeyError

from .. import outbox
from ..clock import now
from ..db import get_db
from ..i18n import current_locale
from . import repository

# Crockford-style alphabet: no 0/O or 1/I/L to misread on the phone.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
ATTEMPTS = 5


def ticket_number() -> str:
    """Return a fresh ticket number such as ST-7KQ2M9XD4P."""
    return "ST-" + "".join(secrets.choice(ALPHABET) for _ in range(10))


def open_ticket(data: dict) -> dict:
    """Store a ticket for the validated request and return it."""
    shortlist_id = data.get("shortlistId")
    if shortlist_id and not repository.shortlist_exists(shortlist_id):
        raise ValidationError({"shortlistId": ["No shortlist has this id."]})
    doc = {"status": "open", "name": data["name"], "email": data["email"],
           "topic": data["topic"], "message": data["message"],
           "preferredContact": data["preferredContact"], "phone": data.get("phone"),
           "preferredTime": data.get("preferredTime"), "shortlistId": shortlist_id,
           "sessionId": g.get("session_id"), "requestId": g.get("request_id"),
           "createdAt": now(), "locale": current_locale()}
    for attempt in range(ATTEMPTS):
        doc.pop("_id", None)
        doc["ticketNumber"] = ticket_number()
        try:
            repository.insert_ticket(doc)
            _announce(doc)
            return doc
        except DuplicateKeyError:
            # 31^10 numbers: a clash is rare, so a new draw resolves it.
            if attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _announce(ticket: dict) -> None:
    """Queue stylist_ticket.created for the stylists and the acknowledgement email."""
    data = {name: ticket[name] for name in ("ticketNumber", "topic", "name", "email",
                                            "preferredContact", "message")}
    data.update({name: ticket[name] for name in ("phone", "preferredTime") if ticket[name]})
    outbox.enqueue(get_db(), "stylist_ticket.created", data, email_to=ticket["email"],
                   email_context={"locale": ticket["locale"]})
