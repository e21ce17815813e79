"""capsules endpoints (being built)."""

from flask import Blueprint

bp = Blueprint("capsules", __name__, url_prefix="/api/concierge")
