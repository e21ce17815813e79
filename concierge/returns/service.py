"""Create return authorisations (RMAs) for delivered orders."""

from __future__ import annotations

import base64
import secrets
from datetime import datetime, timedelta

from flask import current_app, g
from marshmallow import ValidationError
from pymongo.errors import DuplicateKeyError

from .. import outbox
from ..clock import now
from ..db import Transaction, get_db, get_store
from ..errors import Conflict, NotFound, Unprocessable
from ..i18n import current_locale
from ..orders import repository as orders
from ..orders.policy import return_refusal
from ..orders.service import find_order_for
from ..products import stock
from ..products.repository import find_by_skus
from ..products.variants import available, explicit, skus_of, variants_of
from . import repository

ATTEMPTS = 3


class ReturnNotEligible(Unprocessable):
    """The order is not delivered, or its return window has closed."""

    code, title = "return_not_eligible", "Order not eligible for return"


class ReturnQuantityExceeded(Unprocessable):
    """A line asks for more than is left to return (or is not on the order)."""

    code, title = "return_quantity_exceeded", "Return quantity exceeded"


class ExchangeUnavailable(Conflict):
    """The variant asked for in exchange does not have the units."""

    code, title = "exchange_unavailable", "Exchange variant not available"


def rma_number() -> str:
    """Return a fresh RMA number: 80 random bits, base32 (A-Z, 2-7)."""
    return "RMA-" + base64.b32encode(secrets.token_bytes(10)).decode()


def merge(items: list[dict]) -> list[dict]:
    """Merge lines of the same sku, adding quantities, in first-seen order."""
    merged: dict[str, dict] = {}
    for item in items:
        line = merged.setdefault(item["sku"], {"resolution": "refund", **item, "quantity": 0})
        line["quantity"] += item["quantity"]
    return list(merged.values())


def _product_of(sku: str, products: list[dict]) -> dict | None:
    return next((p for p in products if sku in skus_of(p)), None)


def _check_exchanges(items: list[dict]) -> dict[str, dict]:
    """Refuse an exchange for the same variant or another product's; return the products."""
    wanted = [i for i in items if i["resolution"] == "exchange"]
    products = find_by_skus([i["sku"] for i in wanted]) if wanted else []
    errors, found = {}, {}
    for index, item in enumerate(items):
        if item["resolution"] != "exchange":
            continue
        product = _product_of(item["sku"], products)
        if item["exchangeSku"] == item["sku"]:
            errors[f"items.{index}.exchangeSku"] = [
                "Must be another size or colour than the item returned."]
        elif product is None or not explicit(product) or item["exchangeSku"] not in skus_of(
                product) or item["exchangeSku"] == product["sku"]:
            errors[f"items.{index}.exchangeSku"] = [
                "Must be another variant (size or colour) of the same product."]
        else:
            found[item["sku"]] = product
    if errors:
        raise ValidationError(errors)
    return found


def _unavailable(product: dict, item: dict) -> ExchangeUnavailable:
    fresh = find_by_skus([product["sku"]])
    current = fresh[0] if fresh else product
    alternatives = [] if current.get("archived") else [
        v["sku"] for v in variants_of(current) if available(v) and v["sku"] != item["sku"]]
    return ExchangeUnavailable(
        f"{item['exchangeSku']} does not have {item['quantity']} left to exchange for.",
        sku=item["exchangeSku"], alternatives=alternatives)


def _credit(order: dict, item: dict) -> dict:
    """Return the store credit of a line: its price, the bonus added, rounded down."""
    price = next(line["price"] for line in order["items"] if line["sku"] == item["sku"])
    bonus = current_app.config["CONCIERGE_STORE_CREDIT_BONUS_PERCENT"]
    return {"amount": price["amount"] * item["quantity"] * (100 + bonus) // 100,
            "currency": price["currency"]}


def resolved(order: dict, items: list[dict]) -> list[dict]:
    """Return the lines as stored: each with its resolution, exchange sku and credit."""
    return [{**item, "exchangeSku": item.get("exchangeSku") if item["resolution"] ==
             "exchange" else None,
             "creditAmount": _credit(order, item) if item["resolution"] == "store_credit"
             else None} for item in items]


def _check_eligible(order: dict, window_start: datetime) -> None:
    refusal = return_refusal(order, window_start)
    if refusal:
        raise ReturnNotEligible(refusal[1])


def _purchased(order: dict) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in order["items"]:
        if item.get("returnable", True):
            counts[item["sku"]] = counts.get(item["sku"], 0) + item["quantity"]
    return counts


def _check_quantities(order: dict, items: list[dict]) -> None:
    purchased, returned = _purchased(order), order.get("returnedQuantities") or {}
    problems = []
    for item in items:
        left = purchased.get(item["sku"], 0) - returned.get(item["sku"], 0)
        if item["quantity"] > left:
            problems.append({"sku": item["sku"], "requested": item["quantity"],
                             "returnable": max(left, 0)})
    if problems:
        skus = ", ".join(p["sku"] for p in problems)
        raise ReturnQuantityExceeded(
            f"More than is left to return (or not on the order): {skus}.", items=problems)


def _reserve(order: dict, items: list[dict], window_start: datetime, session=None) -> None:
    """Consume the quantities atomically; re-check against a fresh read on a race."""
    quantities = {item["sku"]: item["quantity"] for item in items}
    for _ in range(ATTEMPTS):
        _check_eligible(order, window_start)
        _check_quantities(order, items)
        if repository.consume(order["orderNumber"], quantities, _purchased(order),
                              window_start, session):
            return
        order = orders.find_by_number(order["orderNumber"], session)
    _check_eligible(order, window_start)
    _check_quantities(order, items)
    raise ReturnQuantityExceeded("Another return for this order is being created; retry.")


def _insert_numbered(doc: dict, session=None) -> None:
    """Store the return under a fresh RMA number, drawing again on a clash."""
    for attempt in range(ATTEMPTS):
        doc.pop("_id", None)
        doc["rmaNumber"] = rma_number()
        try:
            repository.insert(doc, session)
            return
        except DuplicateKeyError:
            if attempt == ATTEMPTS - 1:  # 2^80 numbers: a repeat clash means a bug
                raise


def create_return(data: dict) -> dict:
    """Authorise a return of the validated request's lines and store it."""
    order = find_order_for(data)
    at = now()
    window_start = at - timedelta(days=current_app.config["RETURN_WINDOW_DAYS"])
    items = merge(data["items"])
    exchanges = _check_exchanges(items)
    _check_eligible(order, window_start)
    _check_quantities(order, items)
    items = resolved(order, items)
    doc = {"orderNumber": order["orderNumber"], "status": "requested", "items": items,
           "email": order["email"], "sessionId": g.get("session_id"),
           "requestId": g.get("request_id"), "createdAt": at, "locale": current_locale()}
    if data.get("comment"):
        doc["comment"] = data["comment"]

    def authorise(transaction: Transaction) -> None:
        # All or nothing: quantities taken without an RMA could never be returned, and
        # an RMA nobody hears of would be answered 500 to a shopper who then retries.
        _reserve(order, items, window_start, transaction.session)
        stored, reserved = False, []
        try:
            for item in items:
                if item["resolution"] != "exchange":
                    continue
                product = exchanges[item["sku"]]
                if not stock.reserve(product, item["exchangeSku"], item["quantity"],
                                     transaction.session):
                    raise _unavailable(product, item)
                reserved.append((product["_id"], item["exchangeSku"], item["quantity"]))
            _insert_numbered(doc, transaction.session)
            stored = True
            outbox.enqueue(
                get_db(), "return.requested",
                {"rmaNumber": doc["rmaNumber"], "orderNumber": doc["orderNumber"],
                 "items": items, "createdAt": at},
                email_to=order["email"],
                email_context={"names": {i["sku"]: i.get("name") for i in order["items"]},
                               "locale": doc["locale"], **next_steps()},
                session=transaction.session)
        except BaseException:
            if not transaction.atomic:  # no transaction to abort: repair what is left
                if stored:  # (a clash leaves doc naming another return's number)
                    repository.remove(doc["rmaNumber"])
                for product_id, sku, quantity in reserved:
                    stock.release(product_id, sku, quantity)
                repository.give_back(order["orderNumber"],
                                     {item["sku"]: item["quantity"] for item in items})
            raise

    reserving = [{"sku": i["exchangeSku"], "quantity": i["quantity"]}
                 for i in items if i["resolution"] == "exchange"]
    if reserving:  # what staff rejecting or cancelling it give back (taken once)
        doc["reserved"] = reserving
    get_store().run_transaction(authorise)
    return doc


def next_steps() -> dict:
    """Return the store's return address and instructions (settings; empty when unset)."""
    config = current_app.config
    steps = {"returnAddress": config["CONCIERGE_RETURN_ADDRESS"],
             "returnInstructions": config["CONCIERGE_RETURN_INSTRUCTIONS"]}
    return {name: value for name, value in steps.items() if value}


def give_back_exchanges(rma: dict) -> list[dict]:
    """Put back the stock an RMA's exchanges reserved (once); return what it held."""
    reserved = repository.take_reserved(rma["rmaNumber"])
    if not reserved:
        return []
    products = find_by_skus([line["sku"] for line in reserved])
    for line in reserved:
        product = _product_of(line["sku"], products)
        # A product deleted since has no stock to take it back.
        if product is not None:
            stock.release(product["_id"], line["sku"], line["quantity"])
    return reserved


class NoExchangeToCancel(Conflict):
    """The return holds no exchange stock (none asked, or given back already)."""

    code, title = "no_exchange", "No exchange to cancel"


def cancel_exchanges(rma: dict, by: dict) -> dict:
    """Give back an RMA's reserved stock and refund its exchanged items instead."""
    if not give_back_exchanges(rma):
        raise NoExchangeToCancel(f"Return {rma['rmaNumber']} holds no exchange to cancel.")
    return repository.refund_instead(rma["rmaNumber"], now(), by)


class ReturnNotFound(NotFound):
    """No return has this RMA number."""

    code, title = "return_not_found", "Return not found"


def attach_label(rma_number: str, url: str) -> dict:
    """Keep the label link the store's system made; email it to the shopper (once per link)."""
    found = repository.set_label(rma_number, url, now())
    if found is None:
        raise ReturnNotFound(f"No return has the number {rma_number}.")
    before, rma = found
    if before.get("labelUrl") != url:
        outbox.enqueue(get_db(), "return.label_ready",
                       {"rmaNumber": rma_number, "orderNumber": rma["orderNumber"],
                        "labelUrl": url},
                       email_to=rma.get("email"),
                       email_context={"rmaNumber": rma_number, "labelUrl": url,
                                      "orderNumber": rma["orderNumber"],
                                      "locale": rma.get("locale") or "en", **next_steps()})
    return rma
