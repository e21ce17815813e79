"""GET and POST /unsubscribe/<subscriptionId>: the email's one-click unsubscribe (RFC 8058)."""

from flask import Blueprint

from .. import events
from ..pages import page, reads, writes
from . import service

bp = Blueprint("subscription_pages", __name__)


@bp.get("/unsubscribe/<subscription_id>")
@reads
def show(subscription_id):
    """Show the subscription with a button; a GET never cancels (mail scanners follow links)."""
    try:
        subscription = service.get_subscription(subscription_id)
    except service.SubscriptionNotFound:
        return page("unsubscribe.html", 404, subscription=None)
    return page("unsubscribe.html", subscription=subscription)


@bp.post("/unsubscribe/<subscription_id>")
@writes
def cancel(subscription_id):
    """Cancel: the mailbox's one-click POST (List-Unsubscribe=One-Click) or the button."""
    try:
        subscription = service.unsubscribe(subscription_id)
    except service.SubscriptionNotFound:
        return page("unsubscribe.html", 404, subscription=None)
    events.record("aurora_order_unsubscribed", orderNumber=subscription["orderNumber"],
                  channel=subscription["channel"], source="email")
    return page("unsubscribe.html", subscription=subscription)
