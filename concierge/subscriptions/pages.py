"""GET and POST /unsubscribe/<subscriptionId>: the email's one-click unsubscribe (RFC 8058)."""

from flask import Blueprint

from .. import events
from ..i18n import stored_locale
from ..pages import page, reads, unsubscribes
from . import service

bp = Blueprint("subscription_pages", __name__)
# An unknown or mistyped link: the page says so (one handler for both views).
bp.register_error_handler(service.SubscriptionNotFound,
                          lambda _: page("unsubscribe.html", 404, subscription=None))


@bp.get("/unsubscribe/<subscription_id>")
@reads
def show(subscription_id):
    """Show the subscription with a button; a GET never cancels (mail scanners follow links)."""
    subscription = service.get_subscription(subscription_id)
    return page("unsubscribe.html", subscription=subscription,
                locale=stored_locale(subscription))


@bp.post("/unsubscribe/<subscription_id>")
@unsubscribes
def cancel(subscription_id):
    """Cancel: the mailbox's one-click POST (List-Unsubscribe=One-Click) or the button."""
    subscription = service.unsubscribe(subscription_id)
    events.record("aurora_order_unsubscribed", orderNumber=subscription["orderNumber"],
                  channel=subscription["channel"], source="email")
    return page("unsubscribe.html", subscription=subscription,
                locale=stored_locale(subscription))
