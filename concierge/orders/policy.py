"""What an order's shopper can follow and do: its tracking link and return eligibility."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import quote

from flask import current_app

from ..clock import now

# The carriers' public tracking pages, for orders the merchant sent without a trackingUrl.
CARRIER_TRACKING = {
    "UPS": "https://www.ups.com/track?tracknum={}",
    "FedEx": "https://www.fedex.com/fedextrack/?trknbr={}",
    "USPS": "https://tools.usps.com/go/TrackConfirmAction?tLabels={}",
    "DHL": "https://www.dhl.com/en/express/tracking.html?AWB={}",
}


def tracking_url(order: dict) -> str | None:
    """Return the order's tracking link: the merchant's, else the carrier's page."""
    if order.get("trackingUrl"):
        return order["trackingUrl"]
    pattern = CARRIER_TRACKING.get(order.get("carrier"))
    number = order.get("trackingNumber")
    return pattern.format(quote(number)) if pattern and number else None


def return_refusal(order: dict, window_start: datetime) -> tuple[str, str] | None:
    """Return why the order cannot be returned (a code and a sentence), or None."""
    delivered = order.get("deliveredAt")
    if order["status"] != "delivered" or delivered is None:
        return "not_delivered", (f"Order {order['orderNumber']} is {order['status']}; only "
                                 "delivered orders can be returned.")
    if not any(item.get("returnable", True) for item in order["items"]):
        return "not_returnable", (f"Order {order['orderNumber']} holds only digital goods, "
                                  "which cannot be returned.")
    if delivered <= window_start:
        days = current_app.config["RETURN_WINDOW_DAYS"]
        return "window_closed", (f"Order {order['orderNumber']} was delivered more than "
                                 f"{days} days ago; its return window has closed.")
    return None


def return_eligibility(order: dict) -> dict:
    """Say whether the order can be returned now, why not, and until when."""
    days = current_app.config["RETURN_WINDOW_DAYS"]
    refusal = return_refusal(order, now() - timedelta(days=days))
    delivered = order.get("deliveredAt")
    return {"eligible": refusal is None, "reason": refusal[0] if refusal else None,
            "until": delivered + timedelta(days=days) if delivered else None}


def returnable_items(order: dict) -> list[dict]:
    """Return the order's lines, each with how many can still be returned (earlier
    returns of a sku taken from its lines in order)."""
    left = dict(order.get("returnedQuantities") or {})
    lines = []
    for item in order.get("items") or ():
        if not item.get("returnable", True):
            lines.append({**item, "returnable": 0})
            continue
        taken = min(left.get(item["sku"], 0), item["quantity"])
        left[item["sku"]] = left.get(item["sku"], 0) - taken
        lines.append({**item, "returnable": item["quantity"] - taken})
    return lines
