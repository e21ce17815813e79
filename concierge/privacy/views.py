"""Export and erase a shopper's data, behind the admin bearer token."""

from __future__ import annotations

from flask import Blueprint

from .. import api, audit, limits
from ..admin_auth import ADMIN_ERRORS, admin_only
from . import service
from .schemas import ErasedSchema, ExportSchema, ShopperSchema

bp = Blueprint("privacy", __name__, url_prefix="/api/concierge/admin/privacy")

@bp.get("/export")
@limits.admin_failures
@limits.reads
@admin_only
@api.documents(*ADMIN_ERRORS, tags=("privacy",), security="adminToken",
               summary="Export every stored document holding a shopper's email")
@api.responds(200, ExportSchema)
@api.query(ShopperSchema)
def export(query):
    """Return the shopper's data, by collection."""
    return service.export(query["email"], audit.admin_api())


@bp.post("/erase")
@limits.admin_failures
@limits.writes
@admin_only
@api.documents(*ADMIN_ERRORS, tags=("privacy",), security="adminToken",
               summary="Erase a shopper's data (idempotent)")
@api.responds(200, ErasedSchema)
@api.body(ShopperSchema)
def erase(data):
    """Erase the shopper's data; answer the counts."""
    return service.erase(data["email"], audit.admin_api())
