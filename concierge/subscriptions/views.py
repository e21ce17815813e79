"""subscriptions endpoints (being built)."""

from flask import Blueprint

bp = Blueprint("subscriptions", __name__, url_prefix="/api/concierge")
