"""inspiration endpoints (being built)."""

from flask import Blueprint

bp = Blueprint("inspiration", __name__, url_prefix="/api/concierge")
