"""stylists endpoints (being built)."""

from flask import Blueprint

bp = Blueprint("stylists", __name__, url_prefix="/api/concierge")
