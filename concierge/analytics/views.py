"""analytics endpoints (being built)."""

from flask import Blueprint

bp = Blueprint("analytics", __name__, url_prefix="/api/concierge")
