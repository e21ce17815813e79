"""POST /shortlists; GET and PUT /shortlists/<id>."""

from flask import Blueprint, current_app

from .. import api, events
from ..extensions import limiter
from ..flags import require_enabled
from . import service
from .schemas import ShortlistInSchema, ShortlistSchema

bp = Blueprint("shortlists", __name__, url_prefix="/api/concierge")
bp.before_request(require_enabled)
READS_NOTE = "Limited per client address by READ_LIMIT_PER_CLIENT (default 300/minute)."
WRITES_NOTE = "Limited per client address by WRITE_LIMIT_PER_CLIENT (default 30/minute)."
reads = limiter.limit(lambda: current_app.config["READ_LIMIT_PER_CLIENT"])
writes = limiter.limit(lambda: current_app.config["WRITE_LIMIT_PER_CLIENT"])


@bp.post("/shortlists")
@writes
@api.documents((503, "concierge_disabled"), tags=("shortlists",),
               summary="Save a shortlist (unknown skus: 422 validation_error naming them)")
@api.responds(201, ShortlistSchema, "Saved. " + WRITES_NOTE)
@api.body(ShortlistInSchema)
def create(data):
    """Save a new shortlist."""
    shortlist = service.create(data)
    events.record("aurora_shortlist_saved", shortlistId=shortlist["shortlistId"],
                  action="created", count=len(shortlist["skus"]))
    return shortlist, 201


@bp.get("/shortlists/<shortlist_id>")
@reads
@api.documents((404, "shortlist_not_found"), (503, "concierge_disabled"),
               tags=("shortlists",), summary="Show a shortlist with its products")
@api.responds(200, ShortlistSchema, "The shortlist. " + READS_NOTE)
def show(shortlist_id):
    """Return the shortlist."""
    shortlist = service.get(shortlist_id)
    events.record("aurora_shortlist_viewed", shortlistId=shortlist["shortlistId"],
                  count=len(shortlist["items"]))
    return shortlist


@bp.put("/shortlists/<shortlist_id>")
@writes
@api.documents((404, "shortlist_not_found"), (503, "concierge_disabled"),
               tags=("shortlists",), summary="Replace a shortlist's skus")
@api.responds(200, ShortlistSchema, "Replaced. " + WRITES_NOTE)
@api.body(ShortlistInSchema)
def replace(data, shortlist_id):
    """Replace the shortlist's skus."""
    shortlist = service.replace(shortlist_id, data)
    events.record("aurora_shortlist_saved", shortlistId=shortlist["shortlistId"],
                  action="updated", count=len(shortlist["skus"]))
    return shortlist
