"""GET and POST /stock-alerts/<alertId>/unsubscribe: the alert email's one-click link."""

from flask import Blueprint

from .. import events
from ..i18n import stored_locale
from ..pages import page, reads, unsubscribes
from . import service

bp = Blueprint("stock_alert_pages", __name__)
bp.register_error_handler(service.AlertNotFound,
                          lambda _: page("stock_alert.html", 404, alert=None))


@bp.get("/stock-alerts/<alert_id>/unsubscribe")
@reads
def show(alert_id):
    """Show the alert with a button; a GET never cancels (mail scanners follow links)."""
    alert = service.get(alert_id)
    return page("stock_alert.html", alert=alert, locale=stored_locale(alert))


@bp.post("/stock-alerts/<alert_id>/unsubscribe")
@unsubscribes
def cancel(alert_id):
    """Cancel: the mailbox's one-click POST (List-Unsubscribe=One-Click) or the button."""
    alert = service.unsubscribe(alert_id)
    events.record("aurora_stock_alert_cancelled", alertId=alert_id, source="email")
    return page("stock_alert.html", alert=alert, locale=stored_locale(alert))
