"""POST /shortlists; GET and PUT /shortlists/<id>."""

from flask import Blueprint

from .. import api, events, limits
from ..flags import require_enabled
from . import service
from .schemas import ShortlistInSchema, ShortlistSchema, UnknownSkusProblemSchema

UNKNOWN_SKUS = (422, "validation_error", UnknownSkusProblemSchema)

bp = Blueprint("shortlists", __name__, url_prefix="/api/concierge")
bp.before_request(require_enabled)


@bp.post("/shortlists")
@limits.writes
@api.documents(UNKNOWN_SKUS, (503, "concierge_disabled"), tags=("shortlists",),
               summary="Save a shortlist (unknown skus: 422 validation_error naming them)")
@api.responds(201, ShortlistSchema, "Saved.")
@api.body(ShortlistInSchema)
def create(data):
    """Save a new shortlist."""
    shortlist = service.create(data)
    events.record("aurora_shortlist_saved", shortlistId=shortlist["shortlistId"],
                  action="created", count=len(shortlist["skus"]))
    return shortlist, 201


@bp.get("/shortlists/<shortlist_id>")
@limits.reads
@api.documents((404, "shortlist_not_found"), (503, "concierge_disabled"),
               tags=("shortlists",), summary="Show a shortlist with its products")
@api.responds(200, ShortlistSchema, "The shortlist.")
def show(shortlist_id):
    """Return the shortlist."""
    shortlist = service.get(shortlist_id)
    events.record("aurora_shortlist_viewed", shortlistId=shortlist["shortlistId"],
                  count=len(shortlist["items"]))
    return shortlist


@bp.put("/shortlists/<shortlist_id>")
@limits.writes
@api.documents(UNKNOWN_SKUS, (404, "shortlist_not_found"), (503, "concierge_disabled"),
               tags=("shortlists",), summary="Replace a shortlist's skus")
@api.responds(200, ShortlistSchema, "Replaced.")
@api.body(ShortlistInSchema)
def replace(data, shortlist_id):
    """Replace the shortlist's skus."""
    shortlist = service.replace(shortlist_id, data)
    events.record("aurora_shortlist_saved", shortlistId=shortlist["shortlistId"],
                  action="updated", count=len(shortlist["skus"]))
    return shortlist
