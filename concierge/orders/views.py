"""POST /orders/lookup."""

from flask import Blueprint

from .. import api, events, limits
from ..flags import require_enabled
from . import service
from .policy import return_eligibility, returnable_items, tracking_url
from .schemas import OrderFactorsSchema, OrderSchema

bp = Blueprint("orders", __name__, url_prefix="/api/concierge")
bp.before_request(require_enabled)


@bp.post("/orders/lookup")
@limits.order_lookups
@limits.order_guesses
@api.documents((404, "order_not_found"), (503, "concierge_disabled"), tags=("orders",),
               summary="Track an order by its number and email or postal code")
@api.responds(200, OrderSchema)
@api.body(OrderFactorsSchema)
def lookup(factors):
    """Return the order's status, timeline, tracking link and return eligibility."""
    order = service.find_order_for(factors)
    events.record("aurora_order_tracked", orderNumber=order["orderNumber"],
                  status=order["status"])
    return {**order, "items": returnable_items(order), "trackingUrl": tracking_url(order),
            "returns": return_eligibility(order)}
