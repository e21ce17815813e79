"""POST /csat."""

from flask import Blueprint

from .. import api, events, limits
from ..flags import require_enabled
from . import service
from .schemas import CsatInSchema, CsatSchema

bp = Blueprint("feedback", __name__, url_prefix="/api/concierge")
bp.before_request(require_enabled)

SESSION_DOC = {"X-Concierge-Session": {
    "required": True, "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{16,64}$"},
    "description": "Required here (422 without): one answer per session and intent."}}


@bp.post("/csat")
@limits.writes
@api.documents((503, "concierge_disabled"), tags=("feedback",), headers=SESSION_DOC,
               summary="Rate the concierge (one answer per session and intent)")
@api.responds(201, CsatSchema, "Answer recorded")
@api.responds(200, CsatSchema, "The session's earlier answer for this intent, updated")
@api.body(CsatInSchema)
def submit(data):
    """Record or update the session's rating."""
    answer, created = service.submit(data)
    events.record("aurora_csat_submitted", csatId=answer["csatId"], rating=answer["rating"],
                  intent=answer["intent"], agentNotified=answer["agentNotified"])
    return answer, 201 if created else 200
