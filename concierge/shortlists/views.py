"""shortlists endpoints (being built)."""

from flask import Blueprint

bp = Blueprint("shortlists", __name__, url_prefix="/api/concierge")
