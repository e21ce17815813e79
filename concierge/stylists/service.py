"""Open stylist tickets."""

from __future__ import annotations

import secrets

from flask import g
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError
from pymongo.errors import DuplicateKeyError

from .. import outbox
from ..clock import now
from ..conversations import service as conversations
from ..db import get_db, get_store
from ..errors import NotFound
from ..i18n import current_locale
from ..ids import looks_like_public_id, new_public_id
from . import repository

# Crockford-style alphabet: no 0/O or 1/I/L to misread on the phone.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
ATTEMPTS = 5
# The topics in the shopper's words (the widget's menu says the same).
TOPIC_WORDS = {"fit": _l("Fit and sizing"), "occasion": _l("An occasion"),
               "wardrobe": _l("My wardrobe"), "gift": _l("A gift"), "other": _l("Other")}


class TicketNotFound(NotFound):
    """No ticket has this page id."""

    code, title = "ticket_not_found", "Ticket not found"


def ticket_number() -> str:
    """Return a fresh ticket number such as ST-7KQ2M9XD4P."""
    return "ST-" + "".join(secrets.choice(ALPHABET) for _ in range(10))


def open_ticket(data: dict) -> tuple[dict, str]:
    """Store a ticket and its conversation; return the ticket and the conversation's token."""
    shortlist_id = data.get("shortlistId")
    if shortlist_id and not repository.shortlist_exists(shortlist_id):
        raise ValidationError({"shortlistId": ["No shortlist has this id."]})
    doc = {"status": "open", "name": data["name"], "email": data["email"],
           "topic": data["topic"], "message": data["message"],
           "preferredContact": data["preferredContact"], "phone": data.get("phone"),
           "preferredTime": data.get("preferredTime"), "shortlistId": shortlist_id,
           "sessionId": g.get("session_id"), "requestId": g.get("request_id"),
           "createdAt": now(), "locale": current_locale(),
           # The key of its page (/tickets/<ticketId>), sent only to the ticket's address.
           "ticketId": new_public_id()}
    for attempt in range(ATTEMPTS):
        doc.pop("_id", None)
        doc["ticketNumber"] = ticket_number()
        try:
            token = get_store().run_transaction(lambda t: _store(doc, t.session))
            _announce(doc)
            return doc, token
        except DuplicateKeyError:
            # 31^10 numbers: a clash is rare, so a new draw resolves it.
            if attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _store(ticket: dict, session) -> str:
    """Write the ticket and its conversation together; return the conversation's token."""
    repository.insert_ticket(ticket, session)
    conversation, token = conversations.for_ticket(ticket, session)
    # Announced once, as stylist_ticket.created (with its conversationId), not twice.
    ticket["conversationId"] = conversation["conversationId"]
    return token


def _announce(ticket: dict) -> None:
    """Queue stylist_ticket.created for the stylists and the acknowledgement email."""
    data = {name: ticket[name] for name in ("ticketNumber", "topic", "name", "email",
                                            "preferredContact", "message", "conversationId")}
    data.update({name: ticket[name] for name in ("phone", "preferredTime") if ticket[name]})
    # The email repeats nothing the shopper wrote: its link shows the message.
    outbox.enqueue(get_db(), "stylist_ticket.created", data, email_to=ticket["email"],
                   email_context={"locale": ticket["locale"], "ticketId": ticket["ticketId"]})


def get_ticket(ticket_id: str) -> dict:
    """Return the ticket with this page id, else raise TicketNotFound."""
    ticket = repository.find_by_page_id(ticket_id) if looks_like_public_id(ticket_id) else None
    if ticket is None:
        raise TicketNotFound("No ticket has this id.")
    return ticket


def topic_words(topic: str) -> str:
    """Return a topic in the page's language."""
    return str(TOPIC_WORDS.get(topic, topic))
