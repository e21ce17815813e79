"""Variant stock taken and given back one unit count at a time, and restocks announced.

A reservation is one conditional update: it matches only while the variant has the
units, so concurrent reservations (threads, workers, servers) never oversell.  Every
path that writes stock levels (merchant calls, imports, platform webhooks, a stock
reservation given back) tells `announce` which variant skus are available now; the
features that wait for a variant (back-in-stock alerts) listen through `listen`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from flask import Flask, current_app, has_app_context

from ..clock import now
from ..db import get_db
from .repository import mark_changed
from .variants import explicit, variants_of

log = logging.getLogger(__name__)

LISTENERS = "concierge_restock_listeners"
STEP = timedelta(milliseconds=1)  # every write is a new version (merchant/service.later_than)


def listen(app: Flask, callback: Callable[[list[str]], None]) -> None:
    """Call `callback(skus)` after a write leaves these variant skus available."""
    app.extensions.setdefault(LISTENERS, []).append(callback)


def available_skus(product: dict) -> list[str]:
    """Return the skus of the product's variants that can be bought (its own when plain)."""
    if product.get("archived"):
        return []
    return [v["sku"] for v in variants_of(product) if v.get("stock", 0) > 0]


def announce(skus: list[str]) -> None:
    """Tell the listeners these variant skus are available; a listener's failure is logged.

    The stock is written already: a failing listener must not turn the write into an
    error the caller would retry.
    """
    if not skus or not has_app_context():
        return
    for callback in current_app.extensions.get(LISTENERS, ()):
        try:
            callback(list(dict.fromkeys(skus)))
        except Exception:
            log.exception("restock listener failed for %d skus", len(skus))


def _version(product: dict) -> dict:
    at, previous = now(), product.get("updatedAt")
    # A new updatedAt: search indexes re-read the product and a merchant stock write
    # that read it before retries; contentHash goes so the next merchant PUT is written.
    return {"$set": {"updatedAt": max(at, previous + STEP) if previous else at},
            "$unset": {"contentHash": ""}}


def reserve(product: dict, sku: str, quantity: int, session=None) -> bool:
    """Take `quantity` units of one explicit variant if it has them; tell whether it did."""
    if not explicit(product):
        return False
    update = _version(product)
    update["$inc"] = {"variants.$.stock": -quantity, "stock": -quantity}
    result = get_db().products.update_one(
        {"_id": product["_id"], "archived": {"$ne": True},
         "variants": {"$elemMatch": {"sku": sku, "stock": {"$gte": quantity}}}},
        update, session=session)
    if result.matched_count != 1:
        return False
    get_db().products.update_one({"_id": product["_id"], "stock": {"$lte": 0}},
                                 {"$set": {"inStock": False}}, session=session)
    mark_changed()
    return True


def release(product_id, sku: str, quantity: int, session=None) -> bool:
    """Give `quantity` units of a variant back (a reservation undone); announce it."""
    products = get_db().products
    current = products.find_one({"_id": product_id}, {"updatedAt": 1}, session=session)
    if current is None:
        return False
    update = _version(current)
    update["$inc"] = {"variants.$.stock": quantity, "stock": quantity}
    update["$set"]["inStock"] = True
    result = products.update_one({"_id": product_id, "variants.sku": sku}, update,
                                 session=session)
    if result.matched_count != 1:
        return False
    mark_changed()
    if session is None:
        announce([sku])
    return True
