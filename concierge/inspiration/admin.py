"""Inspiration moderation endpoints (being built)."""

from flask import Blueprint

bp = Blueprint("inspiration_admin", __name__, url_prefix="/api/concierge/admin")
