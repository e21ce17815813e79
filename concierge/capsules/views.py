"""GET /capsules; POST, GET and DELETE /capsule-holds."""

from flask import Blueprint

from .. import api, events, limits
from ..flags import require_enabled
from . import service
from .schemas import CapsuleListSchema, DuplicateHoldProblemSchema, HoldRequestSchema, HoldSchema

bp = Blueprint("capsules", __name__, url_prefix="/api/concierge")
bp.before_request(require_enabled)


@bp.get("/capsules")
@limits.reads
@api.documents((503, "concierge_disabled"), tags=("capsules",),
               summary="List the capsules with the places left")
@api.responds(200, CapsuleListSchema, "Every capsule.")
def list_capsules():
    """Return every capsule and how many places it can still hold."""
    answer = service.capsule_list()
    events.record("aurora_capsules_viewed", count=len(answer["items"]))
    return answer


@bp.post("/capsule-holds")
@limits.writes
@api.documents((404, "capsule_not_found"), (409, "duplicate_hold", DuplicateHoldProblemSchema),
               (409, "capsule_unavailable"), (429, "too_many_holds"),
               (503, "concierge_disabled"), tags=("capsules",),
               summary="Hold a place in a capsule (one active hold per email); the 409 "
                       "duplicate_hold body carries the existing `hold`")
@api.responds(201, HoldSchema, "Held until expiresAt.")
@api.body(HoldRequestSchema)
def place_hold(data):
    """Hold a place for the email."""
    hold = service.place_hold(data)
    events.record("aurora_capsule_held", capsuleId=hold["capsuleId"], holdId=hold["holdId"])
    return hold, 201


@bp.get("/capsule-holds/<hold_id>")
@limits.reads
@api.documents((404, "hold_not_found"), (503, "concierge_disabled"), tags=("capsules",),
               summary="Show a hold; it reads expired as soon as expiresAt has passed")
@api.responds(200, HoldSchema, "The hold.")
def get_hold(hold_id):
    """Return the hold and its status now."""
    hold = service.get_hold(hold_id)
    events.record("aurora_capsule_hold_viewed", holdId=hold["holdId"], status=hold["status"])
    return hold


@bp.delete("/capsule-holds/<hold_id>")
@limits.writes
@api.documents((404, "hold_not_found"), (503, "concierge_disabled"), tags=("capsules",),
               summary="Release a hold and free its place")
@api.responds(200, HoldSchema, "Released (again: the same answer); a hold that had "
              "already expired is answered with status expired.")
def release_hold(hold_id):
    """Release the hold."""
    hold = service.release_hold(hold_id)
    events.record("aurora_capsule_hold_released", holdId=hold["holdId"],
                  capsuleId=hold["capsuleId"], status=hold["status"])
    return hold
