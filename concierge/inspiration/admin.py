"""Inspiration moderation, behind the admin bearer token (off without one)."""

from __future__ import annotations

import functools
import hmac

from flask import Blueprint, Response, current_app, request

from .. import api, limits
from ..errors import NotFound, Unauthorized
from . import service
from .schemas import (
    DecisionSchema,
    ModerationItemSchema,
    ModerationListSchema,
    ModerationQuerySchema,
)

bp = Blueprint("inspiration_admin", __name__, url_prefix="/api/concierge/admin")

ADMIN_ERRORS = ((401, "unauthorized"), (404, "not_found"))


def admin_only(view):
    """Check the admin token inside the view's limits, so that failures are counted."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        require_admin()
        return view(*args, **kwargs)
    return wrapper


def require_admin() -> None:
    """Answer 404 when no admin token is configured and 401 without the right one."""
    token = current_app.config["CONCIERGE_ADMIN_TOKEN"]
    if not token:
        raise NotFound("The admin endpoints are switched off (no admin token configured).")
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    # compare_digest: the time taken does not tell how much of a guess was right.
    if scheme.lower() != "bearer" or not hmac.compare_digest(
            given.strip().encode(), token.encode()):
        raise Unauthorized("Send Authorization: Bearer <admin token>.",
                           headers={"WWW-Authenticate": 'Bearer realm="concierge-admin"'})


@bp.get("/inspiration")
@limits.admin_failures
@limits.reads
@admin_only
@api.documents(*ADMIN_ERRORS, tags=("moderation",), security="adminToken",
               summary="List uploads by moderation state, oldest first")
@api.responds(200, ModerationListSchema)
@api.query(ModerationQuerySchema)
def moderation_queue(query):
    """List uploads in one moderation state."""
    items = service.queue(query["status"], query["limit"])
    return {"items": items, "count": len(items)}


@bp.post("/inspiration/<upload_id>/decision")
@limits.admin_failures
@limits.writes
@admin_only
@api.documents(*ADMIN_ERRORS, (404, "upload_not_found"), tags=("moderation",),
               security="adminToken", summary="Approve or reject an upload (may be changed)")
@api.responds(200, ModerationItemSchema)
@api.body(DecisionSchema)
def decide(data, upload_id):
    """Record the decision; retention restarts from it."""
    return service.decide(upload_id, data["decision"], data.get("note"))


@bp.get("/inspiration/<upload_id>/image")
@limits.admin_failures
@limits.reads
@admin_only
@api.documents(*ADMIN_ERRORS, (404, "upload_not_found"), tags=("moderation",),
               security="adminToken", summary="Fetch an upload's stored (re-encoded) image")
@api.responds(200, None, "The image bytes (image/jpeg, image/png or image/webp)")
def image(upload_id):
    """Return the stored image."""
    content_type, data = service.image(upload_id)
    return Response(data, mimetype=content_type, headers={
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Content-Disposition": f'inline; filename="{upload_id}"'})
