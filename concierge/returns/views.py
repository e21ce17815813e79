"""returns endpoints (being built)."""

from flask import Blueprint

bp = Blueprint("returns", __name__, url_prefix="/api/concierge")
