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
@api.documents((404, "order_not_found"), (503, "concierge_disabled"),
               tags=("order updates",),
               summary="Subscribe to an order's updates by email or sms")
@api.responds(201, SubscriptionSchema, "Subscribed")
@api.responds(200, SubscriptionSchema,
              "Already subscribed (the same order, channel and destination): the same "
              "subscriptionId; a cancelled one is made active again")
@api.body(SubscriptionInSchema)
def subscribe(data):
    """Subscribe once per order, channel and destination."""
    subscription, created = service.subscribe(data)
    events.record("aurora_order_subscribed", orderNumber=subscription["orderNumber"],
                  channel=subscription["channel"], created=created)
    return subscription, 201 if created else 200


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
