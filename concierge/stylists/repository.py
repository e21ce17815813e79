"""Stylist ticket storage."""

from ..db import get_db


def insert_ticket(doc: dict, session=None) -> None:
    """Store a new ticket (ticketNumber is unique)."""
    get_db().stylistTickets.insert_one(doc, session=session)


def find_by_page_id(ticket_id: str) -> dict | None:
    """Return the ticket whose page id this is."""
    return get_db().stylistTickets.find_one({"ticketId": ticket_id})


def shortlist_exists(shortlist_id: str) -> bool:
    """Tell whether a shortlist with this id is stored."""
    return get_db().widgetShortlists.find_one(
        {"shortlistId": shortlist_id}, {"_id": 1}) is not None
