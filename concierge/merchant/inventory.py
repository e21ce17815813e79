"""Set variants' stock (section 22): one at a time or up to 1,000, each alone."""

from __future__ import annotations

import copy

from marshmallow import ValidationError

from ..clock import now
from ..errors import flatten
from ..products.service import ProductNotFound
from ..products.variants import explicit, matching
from . import repository
from .schemas import InventoryItemSchema
from .service import later_than, product_sku, rehash

ATTEMPTS = 5  # a product another write changed meanwhile is read again, then written
UNKNOWN = "No product or variant has this sku."
PRODUCT_WITH_VARIANTS = ("Names a product with variants: set the stock of each variant "
                         "sku.")


def set_one(raw_sku: str, stock: int) -> dict:
    """Set one variant's stock; return it with the stock before."""
    sku = product_sku(raw_sku)
    outcome = _apply({sku: stock})[sku]
    if outcome["status"] == "rejected":
        if outcome["errors"] == {"sku": [UNKNOWN]}:
            raise ProductNotFound(f"No product or variant has the sku {sku}.")
        raise ValidationError(outcome["errors"])
    return {"sku": sku, "stock": stock, "previous": outcome["previous"]}


def set_many(raws: list) -> list[dict]:
    """Validate and set a batch of stock levels; return each one's result, in order."""
    results: list[dict | None] = [None] * len(raws)
    levels: dict[str, tuple[int, int]] = {}  # sku -> (index, stock)
    for index, raw in enumerate(raws):
        sent = raw.get("sku") if isinstance(raw, dict) else None
        try:
            data = InventoryItemSchema().load(raw)
            sku = product_sku(data["sku"])
        except ValidationError as error:
            results[index] = {"sku": sent if isinstance(sent, str) else None,
                              "status": "rejected", "errors": flatten(error.messages)}
            continue
        if sku in levels:
            results[index] = {"sku": sku, "status": "rejected", "errors": {
                "sku": [f"Repeats element {levels[sku][0]} of this batch."]}}
            continue
        levels[sku] = (index, data["stock"])
    outcomes = _apply({sku: stock for sku, (_, stock) in levels.items()})
    for sku, (index, _) in levels.items():
        outcome = outcomes[sku]
        results[index] = {"sku": sku, "status": outcome["status"]} | (
            {"errors": outcome["errors"]} if outcome.get("errors") else {})
    return results


def _apply(levels: dict[str, int]) -> dict[str, dict]:
    """Set these stock levels, product by product; return each sku's outcome."""
    outcomes: dict[str, dict] = {}
    pending = dict(levels)
    for _ in range(ATTEMPTS):
        if not pending:
            break
        products = repository.products_named(list(pending))
        named = {sku: p for p in products for sku in (p.get("skus") or [p["sku"]])}
        changes, at = [], now()
        for product in products:
            mine = {sku: stock for sku, stock in pending.items() if named.get(sku) is product}
            new, found = _changed(product, mine, at)
            outcomes.update(found)
            if new is not None:
                changes.append((product, new))
        for sku in pending:
            if sku not in named:
                outcomes[sku] = {"status": "rejected", "errors": {"sku": [UNKNOWN]}}
        written = repository.set_stock_levels(changes)
        # A product another write changed since it was read: its skus are tried again.
        pending = {sku: stock for sku, stock in pending.items()
                   if sku in named and outcomes[sku]["status"] == "updated"
                   and named[sku]["sku"] not in written}
    for sku in pending:
        outcomes[sku] = {"status": "rejected", "errors": {"sku": [
            "The product kept changing while its stock was set; send it again."]}}
    return outcomes


def _changed(product: dict, levels: dict[str, int], at) -> tuple[dict | None, dict]:
    """Return the product's fields with these stock levels (None: nothing changes) and
    the outcome of each sku."""
    doc, outcomes = copy.deepcopy(product), {}
    for sku, stock in levels.items():
        if explicit(doc):
            target = matching(doc, sku)
            if target is None:  # the product's own sku, which has no stock of its own
                outcomes[sku] = {"status": "rejected", "errors": {"sku": [
                    PRODUCT_WITH_VARIANTS]}}
                continue
        else:
            target = doc
        previous = target.get("stock", 0)
        target["stock"] = stock
        outcomes[sku] = {"status": "unchanged" if previous == stock else "updated",
                         "previous": previous}
    if not any(o["status"] == "updated" for o in outcomes.values()):
        return None, outcomes
    if explicit(doc):
        doc["stock"] = sum(v["stock"] for v in doc["variants"])
    doc["inStock"] = doc["stock"] > 0
    fields = {"stock": doc["stock"], "inStock": doc["inStock"],
              "updatedAt": later_than(product, at)}
    if explicit(doc):
        fields["variants"] = doc["variants"]
    fields["contentHash"] = rehash(doc)
    return fields, outcomes
