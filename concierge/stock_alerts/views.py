"""POST /stock-alerts and GET /stock-alerts/<alertId>."""

from flask import Blueprint

from .. import api, events, limits
from ..flags import require_enabled
from . import service
from .schemas import StockAlertRequestSchema, StockAlertSchema

bp = Blueprint("stock_alerts", __name__, url_prefix="/api/concierge")
bp.before_request(require_enabled)


@bp.post("/stock-alerts")
@limits.writes
@api.documents((404, "product_not_found"), (409, "in_stock"), (503, "concierge_disabled"),
               tags=("stock alerts",),
               summary="Email me once when this sold-out variant is back")
@api.responds(201, StockAlertSchema, "Waiting. The email goes out within 60 s of a "
              "restock, once, with a one-click unsubscribe.")
@api.responds(200, StockAlertSchema, "This email already waits for this sku: that alert.")
@api.body(StockAlertRequestSchema)
def create_alert(data):
    """Wait for a sold-out variant."""
    alert, created = service.create(data)
    if created:
        events.record("aurora_stock_alert_created", alertId=alert["alertId"], sku=alert["sku"])
    return alert, 201 if created else 200


@bp.get("/stock-alerts/<alert_id>")
@limits.reads
@api.documents((404, "alert_not_found"), (503, "concierge_disabled"),
               tags=("stock alerts",), summary="Show an alert: waiting, sent or cancelled")
@api.responds(200, StockAlertSchema, "The alert.")
def get_alert(alert_id):
    """Return an alert."""
    return service.get(alert_id)
