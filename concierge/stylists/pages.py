"""GET /tickets/<ticketId>: the page a stylist ticket's acknowledgement email links to.

The email never repeats what the shopper wrote (anyone can name any address);
whoever holds the link reads it here.
"""

from flask import Blueprint

from ..i18n import stored_locale
from ..pages import page, reads
from . import service

bp = Blueprint("ticket_pages", __name__)
bp.register_error_handler(service.TicketNotFound, lambda _: page("ticket.html", 404, ticket=None))


@bp.get("/tickets/<ticket_id>")
@reads
def show(ticket_id):
    """Show the ticket: number, topic, when it was sent and its message."""
    ticket = service.get_ticket(ticket_id)
    return page("ticket.html", ticket=ticket, topic=service.topic_words(ticket["topic"]),
                locale=stored_locale(ticket))
