"""GET /capsules; POST, GET and DELETE /capsule-holds."""

from flask import Blueprint, current_app

from .. import api, events
from ..extensions import limiter
from ..flags import require_enabled
from . import service
from .schemas import CapsuleListSchema, HoldRequestSchema, HoldSchema

bp = Blueprint("capsules", __name__, url_prefix="/api/concierge")
bp.before_request(require_enabled)
READS_NOTE = "Limited per client address by READ_LIMIT_PER_CLIENT (default 300/minute)."
WRITES_NOTE = "Limited per client address by WRITE_LIMIT_PER_CLIENT (default 30/minute)."
reads = limiter.limit(lambda: current_app.config["READ_LIMIT_PER_CLIENT"])
writes = limiter.limit(lambda: current_app.config["WRITE_LIMIT_PER_CLIENT"])


@bp.get("/capsules")
@reads
@api.documents((503, "concierge_disabled"), tags=("capsules",),
               summary="List the capsules with the places left")
@api.responds(200, CapsuleListSchema, "Every capsule. " + READS_NOTE)
def list_capsules():
    """Return every capsule and how many places it can still hold."""
    capsules = service.list_capsules()
    events.record("aurora_capsules_viewed", count=len(capsules))
    return {"items": capsules}


@bp.post("/capsule-holds")
@writes
@api.documents((404, "capsule_not_found"), (409, "duplicate_hold"),
               (409, "capsule_unavailable"), (503, "concierge_disabled"), tags=("capsules",),
               summary="Hold a place in a capsule (one active hold per email); the 409 "
                       "duplicate_hold body carries the existing `hold`")
@api.responds(201, HoldSchema, "Held until expiresAt. " + WRITES_NOTE)
@api.body(HoldRequestSchema)
def place_hold(data):
    """Hold a place for the email."""
    hold = service.place_hold(data)
    events.record("aurora_capsule_held", capsuleId=hold["capsuleId"], holdId=hold["holdId"])
    return hold, 201


@bp.get("/capsule-holds/<hold_id>")
@reads
@api.documents((404, "hold_not_found"), (503, "concierge_disabled"), tags=("capsules",),
               summary="Show a hold; it reads expired as soon as expiresAt has passed")
@api.responds(200, HoldSchema, "The hold. " + READS_NOTE)
def get_hold(hold_id):
    """Return the hold and its status now."""
    hold = service.get_hold(hold_id)
    events.record("aurora_capsule_hold_viewed", holdId=hold["holdId"], status=hold["status"])
    return hold


@bp.delete("/capsule-holds/<hold_id>")
@writes
@api.documents((404, "hold_not_found"), (503, "concierge_disabled"), tags=("capsules",),
               summary="Release a hold and free its place")
@api.responds(200, HoldSchema, "Released (again: the same answer); a hold that had "
              "already expired is answered with status expired. " + WRITES_NOTE)
def release_hold(hold_id):
    """Release the hold."""
    hold = service.release_hold(hold_id)
    events.record("aurora_capsule_hold_released", holdId=hold["holdId"],
                  capsuleId=hold["capsuleId"], status=hold["status"])
    return hold
