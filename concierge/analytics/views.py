"""POST /events (not behind the feature flag: the widget reports its fallback too)."""

from flask import Blueprint

from .. import api, limits
from . import service
from .schemas import EventBatchResultSchema, EventBatchSchema

bp = Blueprint("analytics", __name__, url_prefix="/api/concierge")


@bp.post("/events")
@limits.analytics
@api.documents(tags=("analytics",), summary="Report widget analytics events")
@api.responds(202, EventBatchResultSchema,
              "Valid events stored; invalid ones listed in `rejected` by index")
@api.body(EventBatchSchema)
def ingest(batch):
    """Store each valid event; reject the others one by one."""
    return service.ingest(batch["events"])
