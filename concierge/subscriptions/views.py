"""POST /order-subscriptions and DELETE /order-subscriptions/<subscriptionId>."""

from flask import Blueprint

from .. import api, events, limits
from ..flags import require_enabled
from . import service
from .schemas import SubscriptionInSchema, SubscriptionSchema

bp = Blueprint("subscriptions", __name__, url_prefix="/api/concierge")
bp.before_request(require_enabled)


@bp.post("/order-subscriptions")
@limits.writes
@limits.order_lookups
@limits.order_guesses
@api.documents((404, "order_not_found"), (409, "subscription_cancelled"),
               (503, "concierge_disabled"), tags=("order updates",),
               summary="Subscribe to an order's updates by email or sms")
@api.responds(201, SubscriptionSchema,
              "Subscribed: an sms number, or the order's own email address; the answer "
              "carries the new subscriptionId (the key that cancels it)")
@api.responds(202, SubscriptionSchema,
              "Waiting for confirmation (status pending_confirmation, no subscriptionId): "
              "an email address that is not the order's own, or one that unsubscribed, was "
              "sent a link that confirms")
@api.responds(200, SubscriptionSchema,
              "Already subscribed (the same order, channel and destination): status active, "
              "never the existing subscriptionId")
@api.body(SubscriptionInSchema)
def subscribe(data):
    """Subscribe once per order, channel and destination."""
    subscription, status = service.subscribe(data)
    # Only an active subscription completes the journey; a confirmation may never come.
    name = ("aurora_order_subscribed" if subscription["status"] == "active"
            else "aurora_order_subscription_requested")
    events.record(name, orderNumber=subscription["orderNumber"],
                  channel=subscription["channel"], created=status == service.CREATED)
    return subscription, status


@bp.delete("/order-subscriptions/<subscription_id>")
@limits.unsubscribes
@api.documents((404, "subscription_not_found"), (503, "concierge_disabled"),
               tags=("order updates",), summary="Cancel a subscription")
@api.responds(200, SubscriptionSchema, "Cancelled (again: the same answer)")
def unsubscribe(subscription_id):
    """Cancel a subscription; cancelling twice answers the same."""
    subscription = service.unsubscribe(subscription_id)
    events.record("aurora_order_unsubscribed", orderNumber=subscription["orderNumber"],
                  channel=subscription["channel"])
    return subscription
