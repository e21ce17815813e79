"""Order events: stored once per eventId, the status following the latest by time."""

from __future__ import annotations

from pymongo.errors import DuplicateKeyError

from .. import outbox
from ..clock import now
from ..db import get_db
from ..errors import NotFound
from ..schemas import iso_z
from ..subscriptions.service import order_update_audience
from . import repository
from .service import order_number


class UnknownOrder(NotFound):
    """No order has this number (the merchant may know: it is its own store)."""

    code, title = "order_not_found", "Order not found"


def add_event(number: str, data: dict) -> tuple[dict, bool]:
    """Record an order event once per eventId; return it and whether it is new."""
    number = order_number(number)
    if repository.find_order(number) is None:
        raise UnknownOrder(f"No order has the number {number}; PUT the order first.")
    key = {"orderNumber": number, "eventId": data["eventId"]}
    event = {**key, "status": data["status"], "at": data["at"],
             "description": data["description"], "location": data.get("location"),
             "receivedAt": now(), "announcedAt": None, "appliedAt": None}
    try:
        repository.insert_event(event)
        new = True
    except DuplicateKeyError:
        event, new = repository.find_event(number, data["eventId"]), False
    if event.get("appliedAt") is None:
        # A first try cut short (or still running) is completed: every step is idempotent.
        _apply(key, event)
    order = repository.find_order(number)
    return {**event, "orderStatus": order["status"]}, new


def _apply(key: dict, event: dict) -> None:
    at = now()
    number = key["orderNumber"]
    repository.append_to_timeline(number, {
        name: event[name] for name in ("eventId", "status", "at", "description", "location")},
        at)
    changes = {"status": event["status"], "updatedAt": at}
    if event["status"] == "delivered":
        changes["deliveredAt"] = event["at"]
    repository.set_status_if_latest(number, changes, event["at"])
    if repository.claim_event_notice(key, at):
        order = repository.find_order(number)
        data, emails = order_update_audience(order, {
            "orderNumber": number, "eventId": event["eventId"], "status": event["status"],
            "at": iso_z(event["at"]), "description": event["description"],
            "location": event["location"], "orderStatus": order["status"]})
        outbox.enqueue(get_db(), "order.updated", data, emails=emails)
    repository.mark_event_applied(key, at)
