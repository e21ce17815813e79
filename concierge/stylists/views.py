"""POST /stylist-tickets."""

from flask import Blueprint

from .. import api, events, idempotency, limits
from ..flags import require_enabled
from . import service
from .schemas import StylistTicketInSchema, StylistTicketSchema

bp = Blueprint("stylists", __name__, url_prefix="/api/concierge")
bp.before_request(require_enabled)


def _create(data: dict) -> tuple[dict, int]:
    ticket, token = service.open_ticket(data)
    events.record("aurora_stylist_ticket_created", ticketNumber=ticket["ticketNumber"],
                  topic=ticket["topic"], preferredContact=ticket["preferredContact"])
    # With an Idempotency-Key the answer, token included, is kept for replays (a retry
    # must get the same answer) until the key expires (RETENTION_DAYS_IDEMPOTENCYKEYS).
    return StylistTicketSchema().dump({**ticket, "token": token}), 201


@bp.post("/stylist-tickets")
@limits.writes
@api.documents((400, "idempotency_key_required"), (409, "idempotency_request_in_progress"),
               (422, "idempotency_key_reused"), (503, "concierge_disabled"),
               tags=("stylists",), summary="Ask a stylist (Idempotency-Key optional)",
               headers=idempotency.HEADER_DOC)
@api.responds(201, StylistTicketSchema, "Ticket opened (or replayed for the same key)")
@api.body(StylistTicketInSchema)
def create_ticket(data):
    """Open a stylist ticket; an Idempotency-Key makes retries safe."""
    return idempotency.respond("stylist-tickets", data, lambda: _create(data),
                               required=False)
