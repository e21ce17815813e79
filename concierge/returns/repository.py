"""Return documents and the order's returned quantities."""

from datetime import datetime

from ..db import get_db


def consume(order_number: str, quantities: dict[str, int], purchased: dict[str, int],
            delivered_since: datetime, session=None) -> bool:
    """Add the quantities to the order's returned ones in one conditional update.

    The filter only matches while every sku still has room and the order is
    inside its window, so concurrent returns can never over-return.
    """
    query: dict = {"orderNumber": order_number, "status": "delivered",
                   "deliveredAt": {"$gt": delivered_since}}
    for sku, quantity in quantities.items():
        query[f"returnedQuantities.{sku}"] = {"$not": {"$gt": purchased[sku] - quantity}}
    update = {"$inc": {f"returnedQuantities.{sku}": q for sku, q in quantities.items()}}
    return get_db().orders.update_one(query, update, session=session).matched_count == 1


def give_back(order_number: str, quantities: dict[str, int]) -> None:
    """Undo `consume` when the return could not be stored (MongoDB without transactions)."""
    get_db().orders.update_one(
        {"orderNumber": order_number},
        {"$inc": {f"returnedQuantities.{sku}": -q for sku, q in quantities.items()}})


def remove(rma_number: str) -> None:
    """Remove a return whose announcement failed (MongoDB without transactions)."""
    get_db().returns.delete_one({"rmaNumber": rma_number})


def insert(doc: dict, session=None) -> None:
    """Store a return document."""
    get_db().returns.insert_one(doc, session=session)


def take_reserved(rma_number: str) -> list[dict]:
    """Take the exchange stock an RMA holds, once: later callers get nothing."""
    before = get_db().returns.find_one_and_update(
        {"rmaNumber": rma_number, "reserved.0": {"$exists": True}},
        {"$set": {"reserved": []}})
    return (before or {}).get("reserved") or []


def refund_instead(rma_number: str, at: datetime, by: dict) -> dict | None:
    """Turn an RMA's exchanges into refunds (its stock already taken back); return it."""
    returns = get_db().returns
    doc = returns.find_one({"rmaNumber": rma_number})
    if doc is None:
        return None
    items = [{**item, "resolution": "refund", "exchangeSku": None,
              "cancelledExchangeSku": item["exchangeSku"]}
             if item.get("resolution") == "exchange" else item for item in doc["items"]]
    returns.update_one({"rmaNumber": rma_number},
                       {"$set": {"items": items, "exchangeCancelledAt": at},
                        "$push": {"statusHistory": {"from": doc["status"], "to": doc["status"],
                                                    "at": at, "by": by,
                                                    "note": "exchange cancelled"}}})
    return returns.find_one({"rmaNumber": rma_number}, {"_id": 0})


def set_label(rma_number: str, url: str, at: datetime) -> tuple[dict, dict] | None:
    """Store a return's label link; return it before and after, or None when unknown."""
    returns = get_db().returns
    before = returns.find_one_and_update({"rmaNumber": rma_number},
                                         {"$set": {"labelUrl": url, "labelAt": at}})
    if before is None:
        return None
    return before, returns.find_one({"rmaNumber": rma_number}, {"_id": 0})
