"""What each platform topic changes: catalogue, stock, orders, order events, shoppers' data."""

from __future__ import annotations

from dataclasses import dataclass

from marshmallow import ValidationError

from ..clock import now
from ..merchant import imports, inventory, timeline
from ..merchant import repository as merchant_store
from ..merchant import service as merchant
from ..merchant.schemas import MAX_STOCK, OrderEventBodySchema
from ..privacy import service as privacy
from ..products.service import ProductNotFound
from ..schemas import iso_z
from . import repository, shopify, woocommerce
from .errors import Unmappable
from .mapping import instant, obj, platform_id, text

# How far an order has gone: a platform's order update never takes it back.
PROGRESS = {"processing": 0, "shipped": 1, "in_transit": 2, "out_for_delivery": 3,
            "delivered": 4}
KEPT = ("carrier", "trackingNumber", "trackingUrl", "estimatedDelivery", "deliveredAt")


@dataclass(frozen=True)
class Delivery:
    """One verified webhook: its platform, payload and what the store's settings add."""

    platform: str
    payload: dict
    currency: str
    store_url: str | None = None

    @property
    def who(self) -> dict:
        """Name the platform in the audit."""
        return {"via": f"{self.platform} webhook"}


def _fresh(old: dict | None, version) -> dict:
    """Refuse a payload older than the one last applied (webhooks arrive in any order);
    return the link fields recording this one's version."""
    at = instant(version)
    applied = (old or {}).get("sourceUpdatedAt")
    if at is not None and applied is not None and at < applied.replace(tzinfo=None):
        raise Unmappable("stale", f"updated {at.isoformat()}Z, before the version already "
                                  f"applied ({applied.isoformat()}Z).")
    return {"sourceUpdatedAt": at} if at is not None else {}


def _save(kind: str, body: dict) -> str:
    result = merchant.save(kind, [body])[0]
    if result["status"] == "rejected":
        raise Unmappable(f"unmappable_{kind[:-1]}",
                         f"{result.get('sku') or result.get('orderNumber')}: "
                         f"{imports.reason(result)}")
    return result["sku" if kind == "products" else "orderNumber"]


def _archive(sku: str | None) -> str:
    if not sku or merchant_store.find_product(sku) is None:
        raise Unmappable("not_active", "not on sale and not stored: nothing to archive.")
    merchant.archive(sku)
    return "applied"


# Shopify


def shopify_product(delivery: Delivery) -> str:
    """Upsert the product with its variants, or archive it when not active."""
    payload, pid = delivery.payload, platform_id(delivery.payload)
    old = repository.link("shopify", "product", pid)
    version = _fresh(old, payload.get("updated_at"))
    if not shopify.active(payload):
        sku = (old or {}).get("sku") or text(payload.get("handle")).upper()
        outcome = _archive(sku or None)
        repository.save_link("shopify", "product", pid, {"sku": sku, **version}, now())
        return outcome
    body, items = shopify.product(payload, delivery.currency, delivery.store_url)
    sku = _save("products", body)
    if old and old.get("sku") not in (None, sku):  # the handle changed: the old sku goes
        _archive_quietly(old["sku"])
    repository.save_link("shopify", "product", pid, {
        "sku": sku, "inventoryItems": sorted(items), "variantSkus": items, **version}, now())
    return "applied"


def _archive_quietly(sku: str) -> None:
    if merchant_store.find_product(sku) is not None:
        merchant.archive(sku)


def shopify_product_deleted(delivery: Delivery) -> str:
    """Archive the product (kept for orders and shortlists)."""
    found = repository.link("shopify", "product", platform_id(delivery.payload))
    return _archive((found or {}).get("sku"))


def shopify_inventory(delivery: Delivery) -> str:
    """Set one variant's stock: the sum of its locations' available counts."""
    payload = delivery.payload
    item, location = platform_id(payload, "inventory_item_id"), text(payload.get("location_id"))
    available = payload.get("available")
    if not isinstance(available, int) or isinstance(available, bool):
        raise Unmappable("unmappable_inventory", "`available` is not a whole number "
                                                 "(inventory not tracked).")
    found = repository.link_by_inventory_item("shopify", item)
    if found is None:
        raise ProductNotFound(f"No product has Shopify's inventory item {item} (yet): send "
                              "products/create first; a retry applies it.")
    levels = repository.set_level(found["_id"], item, location or "-", available)["levels"][item]
    stock = min(MAX_STOCK, max(0, sum(levels.values())))  # oversold counts as none
    try:
        inventory.set_one(found["variantSkus"][item], stock)
    except ValidationError as error:
        raise Unmappable("unmappable_inventory", f"the stock cannot be set: {error.messages}") \
            from None
    return "applied"


def _merged(body: dict) -> dict:
    """Keep what the store's events added to an order its platform sends again."""
    stored = merchant_store.find_order(body["orderNumber"])
    if stored is None:
        return body
    for name in KEPT:
        if body.get(name) is None and stored.get(name) is not None:
            body[name] = iso_z(stored[name]) if hasattr(stored[name], "isoformat") \
                else stored[name]
    if PROGRESS.get(stored.get("status"), -1) > PROGRESS.get(body["status"], 99):
        body["status"] = stored["status"]
    return body


def _order(platform: str, body: dict, pid: str, version_at) -> str:
    version = _fresh(repository.link(platform, "order", pid), version_at)
    number = _save("orders", _merged(body))
    repository.save_link(platform, "order", pid, {"orderNumber": number, **version}, now())
    return "applied"


def shopify_order(delivery: Delivery) -> str:
    """Upsert the order under its name without #, keeping Shopify's id for fulfilments."""
    payload = delivery.payload
    return _order("shopify", shopify.order(payload, delivery.currency), platform_id(payload),
                  payload.get("updated_at"))


def shopify_fulfilment(delivery: Delivery) -> str:
    """Put carrier and tracking on the order and add the order event (order.updated, emails)."""
    payload = delivery.payload
    found = repository.link("shopify", "order", platform_id(payload, "order_id"))
    stored = merchant_store.find_order(found["orderNumber"]) if found else None
    if stored is None:
        raise timeline.UnknownOrder("No order has this fulfilment's order_id (yet): send "
                                    "orders/create first; a retry applies it.")
    try:
        event = OrderEventBodySchema().load(shopify.fulfilment_event(payload))
    except ValidationError as error:
        raise Unmappable("unmappable_fulfilment", f"the event cannot be kept: {error.messages}") \
            from None
    body = {"orderNumber": stored["orderNumber"], "email": stored["email"],
            "postalCode": stored.get("postalCode"), "status": stored["status"],
            "placedAt": iso_z(stored["placedAt"]),
            "items": list(stored["items"])}
    body.update(shopify.tracking(payload))
    _save("orders", _merged(body))
    timeline.add_event(stored["orderNumber"], event)
    return "applied"


def shopify_data_request(delivery: Delivery) -> str:
    """Prepare the shopper's export and emit privacy.export_requested."""
    payload = delivery.payload
    privacy.export_requested(
        _customer_email(payload), delivery.who, platform="shopify",
        dataRequestId=text(obj(payload.get("data_request")).get("id")) or None,
        ordersRequested=[text(o) for o in payload.get("orders_requested") or []
                         if text(o)] if isinstance(payload.get("orders_requested"), list)
        else [])
    return "applied"


def shopify_customer_redact(delivery: Delivery) -> str:
    """Erase the shopper's data (section 25)."""
    privacy.erase(_customer_email(delivery.payload), delivery.who)
    return "applied"


def shopify_shop_redact(delivery: Delivery) -> str:
    """Erase every shopper's data."""
    privacy.erase_everyone(delivery.who)
    return "applied"


def _customer_email(payload: dict) -> str:
    email = text(obj(payload.get("customer")).get("email"))
    if "@" not in email or len(email) > 254:
        raise Unmappable("missing_email", "the request names no customer email.")
    return email


# WooCommerce


def _variant_bodies(product: dict) -> list[dict]:
    return [{k: v for k, v in variant.items() if v is not None}
            for variant in product.get("variants") or ()]


def _stored_body(product: dict) -> dict:
    """Return a stored product as the merchant body that would store it again."""
    return {name: product[name] for name in ("sku", "name", "description", "category",
                                             "tags", "imageUrl", "url", "rank", "translations")
            if product.get(name) is not None}


def woo_product(delivery: Delivery) -> str:
    """Upsert a product, or one variation of a variable product, or archive it."""
    payload = delivery.payload
    if woocommerce.is_variation(payload):
        return _woo_variation(delivery)
    pid, sku = platform_id(payload), woocommerce.product_sku(payload)
    old = repository.link("woocommerce", "product", pid)
    version = _fresh(old, payload.get("date_modified_gmt"))
    if not woocommerce.published(payload):
        sku = (old or {}).get("sku") or sku
        outcome = _archive(sku)
        repository.save_link("woocommerce", "product", pid, {"sku": sku, **version}, now())
        return outcome
    known = (old or {}).get("variations") or {}
    wanted = set(woocommerce.variation_ids(payload))
    kept = {vid: vsku for vid, vsku in known.items() if vid in wanted}
    stored = merchant_store.find_product(sku)
    variants = [v for v in _variant_bodies(stored or {}) if v["sku"] in kept.values()]
    _save("products", woocommerce.product(payload, delivery.currency, variants))
    if old and old.get("sku") not in (None, sku):
        _archive_quietly(old["sku"])
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
    variants = [v for v in _variant_bodies(stored) if v["sku"] not in (previous, variant["sku"])
                and v["sku"] in variations.values()]
    if woocommerce.published(payload) or not text(payload.get("status")):
        variants.append(variant)
        variations[vid] = variant["sku"]
    else:
        variations.pop(vid, None)
    body = _stored_body(stored)
    if variants:
        body["variants"] = variants
    else:  # its last variation gone: a plain product, sold out
        body.update(price=variant["price"], colors=[], sizes=[], stock=0)
    _save("products", body)
    if stored.get("archived"):  # a variation of a product not on sale: it stays off sale
        merchant.archive(stored["sku"])
    repository.save_link("woocommerce", "product", parent_id, {"variations": variations}, now())
    return "applied"


def woo_product_deleted(delivery: Delivery) -> str:
    """Archive the product (kept for orders and shortlists)."""
    found = repository.link("woocommerce", "product", platform_id(delivery.payload))
    return _archive((found or {}).get("sku"))


def woo_order(delivery: Delivery) -> str:
    """Upsert the order under its number."""
    payload = delivery.payload
    return _order("woocommerce", woocommerce.order(payload, delivery.currency),
                  platform_id(payload), payload.get("date_modified_gmt"))


SHOPIFY = {"products/create": shopify_product, "products/update": shopify_product,
           "products/delete": shopify_product_deleted,
           "inventory_levels/update": shopify_inventory,
           "orders/create": shopify_order, "orders/updated": shopify_order,
           "orders/cancelled": shopify_order,
           "fulfillments/create": shopify_fulfilment, "fulfillments/update": shopify_fulfilment,
           "customers/data_request": shopify_data_request,
           "customers/redact": shopify_customer_redact, "shop/redact": shopify_shop_redact}
WOOCOMMERCE = {"product.created": woo_product, "product.updated": woo_product,
               "product.deleted": woo_product_deleted,
               "order.created": woo_order, "order.updated": woo_order}
TOPICS = {"shopify": SHOPIFY, "woocommerce": WOOCOMMERCE}
