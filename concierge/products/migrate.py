"""Give products stored before variants their `skus` (idempotent, run at every start).

A product without `variants` is read as one implicit variant (products/variants.py), so
the only field such a document lacks is `skus`, the array the sku lookup and the
`skus_unique` index use.  Runs on whatever the store holds at start: seeded, loaded from
disk or on MongoDB.
"""

from __future__ import annotations

from pymongo import UpdateOne

from .. import catalog_version
from .variants import skus_of

BATCH = 1000


def migrate_product_skus(db) -> int:
    """Set `skus` on every product without it; return how many were changed."""
    missing = db.products.find({"skus": {"$exists": False}}, {"sku": 1, "variants.sku": 1})
    changed, pending = 0, []
    for product in missing:
        # The condition holds the write to documents still without: a concurrent
        # start (another worker) or a merchant write since is left as it is.
        pending.append(UpdateOne({"_id": product["_id"], "skus": {"$exists": False}},
                                 {"$set": {"skus": skus_of(product)}}))
        if len(pending) == BATCH:
            changed += db.products.bulk_write(pending, ordered=False).modified_count
            pending = []
    if pending:
        changed += db.products.bulk_write(pending, ordered=False).modified_count
    if changed:
        catalog_version.bump(db)
    return changed
