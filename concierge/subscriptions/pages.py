"""The pages an order update's emails link to.

GET and POST /unsubscribe/<subscriptionId>: the one-click unsubscribe (RFC 8058);
GET and POST /order-updates/<subscriptionId>: confirm a subscription from the
link emailed to its address.
"""

from flask import Blueprint

from .. import events
from ..i18n import stored_locale
from ..pages import page, reads, unsubscribes, writes
from . import service

bp = Blueprint("subscription_pages", __name__)
# An unknown or mistyped link: the page says so (one handler for both views).
bp.register_error_handler(service.SubscriptionNotFound,
                          lambda _: page("unsubscribe.html", 404, subscription=None))


@bp.get("/order-updates/<subscription_id>")
@reads
def ask(subscription_id):
    """Show the order with a button; a GET never confirms (mail scanners follow links)."""
    subscription = service.get_subscription(subscription_id)
    return page("confirm_updates.html", subscription=subscription,
                locale=stored_locale(subscription))


@bp.post("/order-updates/<subscription_id>")
@writes
def confirm(subscription_id):
    """Confirm: from now on the address gets the order's updates."""
    subscription = service.confirm(subscription_id)
    events.record("aurora_order_subscription_confirmed",
                  orderNumber=subscription["orderNumber"], channel=subscription["channel"])
    return page("confirm_updates.html", subscription=subscription,
                locale=stored_locale(subscription))


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
