"""Inspiration moderation, behind the admin bearer token (off without one)."""

from __future__ import annotations

from flask import Blueprint, Response

from .. import api, audit, limits
from ..admin_auth import ADMIN_ERRORS, admin_only
from . import service
from .schemas import (
    DecisionSchema,
    ModerationItemSchema,
    ModerationListSchema,
    ModerationQuerySchema,
)

bp = Blueprint("inspiration_admin", __name__, url_prefix="/api/concierge/admin")


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
    """Record the decision (and who made it, in the audit); retention restarts from it."""
    item = service.decide(upload_id, data["decision"], data.get("note"))
    audit.record("inspiration.moderated", upload_id, who=audit.admin_api(),
                 decision=data["decision"])
    return item


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
