"""WooCommerce's topics: products with their variations, deletions, orders."""

from __future__ import annotations

from ..clock import now
from ..merchant import repository as merchant_store
from ..merchant import service as merchant
from ..products.service import ProductNotFound
from . import repository, woocommerce
from .applying import (
    Delivery,
    archive,
    archive_quietly,
    fresh,
    order,
    save,
    stored_body,
    variant_bodies,
)
from .mapping import platform_id, text


def woo_product(delivery: Delivery) -> str:
    """Upsert a product, or one variation of a variable product, or archive it."""
    payload = delivery.payload
    if woocommerce.is_variation(payload):
        return _woo_variation(delivery)
    pid, sku = platform_id(payload), woocommerce.product_sku(payload)
    old = repository.link("woocommerce", "product", pid)
    version = fresh(old, payload.get("date_modified_gmt"))
    if not woocommerce.published(payload):
        sku = (old or {}).get("sku") or sku
        outcome = archive(sku)
        repository.save_link("woocommerce", "product", pid, {"sku": sku, **version}, now())
        return outcome
    known = (old or {}).get("variations") or {}
    wanted = set(woocommerce.variation_ids(payload))
    kept = {vid: vsku for vid, vsku in known.items() if vid in wanted}
    stored = merchant_store.find_product(sku)
    variants = [v for v in variant_bodies(stored or {}) if v["sku"] in kept.values()]
    save("products", woocommerce.product(payload, delivery.currency, variants))
    if old and old.get("sku") not in (None, sku):
        archive_quietly(old["sku"])
    repository.save_link("woocommerce", "product", pid,
                         {"sku": sku, "variations": kept, **version}, now())
    return "applied"


def _woo_variation(delivery: Delivery) -> str:
    payload = delivery.payload
    vid, parent_id = platform_id(payload), platform_id(payload, "parent_id")
    parent = repository.link("woocommerce", "product", parent_id)
    stored = merchant_store.find_product(parent.get("sku") or "") if parent else None
    if stored is None:
        raise ProductNotFound(f"No product has WooCommerce's id {parent_id} (yet): send the "
                              "variable product first; a retry applies it.")
    variations = dict(parent.get("variations") or {})
    variant = woocommerce.variation(payload, stored["sku"], int(vid), delivery.currency)
    previous = variations.get(vid)
    variants = [v for v in variant_bodies(stored) if v["sku"] not in (previous, variant["sku"])
                and v["sku"] in variations.values()]
    if woocommerce.published(payload) or not text(payload.get("status")):
        variants.append(variant)
        variations[vid] = variant["sku"]
    else:
        variations.pop(vid, None)
    body = stored_body(stored)
    if variants:
        body["variants"] = variants
    else:  # its last variation gone: a plain product, sold out
        body.update(price=variant["price"], colors=[], sizes=[], stock=0)
    save("products", body)
    if stored.get("archived"):  # a variation of a product not on sale: it stays off sale
        merchant.archive(stored["sku"])
    repository.save_link("woocommerce", "product", parent_id, {"variations": variations}, now())
    return "applied"


def woo_order(delivery: Delivery) -> str:
    """Upsert the order under its number."""
    payload = delivery.payload
    return order("woocommerce", woocommerce.order(payload, delivery.currency),
                  platform_id(payload), payload.get("date_modified_gmt"))
