"""Shopify's topics: products, stock by location, orders, fulfilments, privacy requests."""

from __future__ import annotations

from marshmallow import ValidationError

from ..clock import now
from ..merchant import inventory, timeline
from ..merchant import repository as merchant_store
from ..merchant.schemas import MAX_STOCK, OrderEventBodySchema
from ..privacy import service as privacy
from ..products.service import ProductNotFound
from ..schemas import iso_z
from . import repository, shopify
from .applying import Delivery, archive, archive_quietly, fresh, merged, order, save
from .errors import Unmappable
from .mapping import instant, obj, platform_id, text


def shopify_product(delivery: Delivery) -> str:
    """Upsert the product with its variants, or archive it when not active."""
    payload, pid = delivery.payload, platform_id(delivery.payload)
    old = repository.link("shopify", "product", pid)
    version = fresh(old, payload.get("updated_at"))
    if not shopify.active(payload):
        sku = (old or {}).get("sku") or text(payload.get("handle")).upper()
        outcome = archive(sku or None)
        repository.save_link("shopify", "product", pid, {"sku": sku, **version}, now())
        return outcome
    body, items = shopify.product(payload, delivery.currency, delivery.store_url)
    sku = save("products", body)
    if old and old.get("sku") not in (None, sku):  # the handle changed: the old sku goes
        archive_quietly(old["sku"])
    repository.save_link("shopify", "product", pid, {
        "sku": sku, "inventoryItems": sorted(items), "variantSkus": items, **version}, now())
    return "applied"


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
    after = repository.set_level(found["_id"], item, location or "-", available,
                                 instant(payload.get("updated_at")))
    if after is None:
        raise Unmappable("stale", "a later count of this location is already applied.")
    levels = after["levels"][item]
    stock = min(MAX_STOCK, max(0, sum(levels.values())))  # oversold counts as none
    try:
        inventory.set_one(found["variantSkus"][item], stock)
    except ValidationError as error:
        raise Unmappable("unmappable_inventory", f"the stock cannot be set: {error.messages}") \
            from None
    return "applied"


def shopify_order(delivery: Delivery) -> str:
    """Upsert the order under its name without #, keeping Shopify's id for fulfilments."""
    payload = delivery.payload
    return order("shopify", shopify.order(payload, delivery.currency), platform_id(payload),
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
            "placedAt": iso_z(stored["placedAt"]), "items": list(stored["items"])}
    body.update(shopify.tracking(payload))
    save("orders", merged(body))
    timeline.add_event(stored["orderNumber"], event)
    return "applied"


def shopify_data_request(delivery: Delivery) -> str:
    """Prepare the shopper's export and emit privacy.export_requested."""
    payload = delivery.payload
    requested = payload.get("orders_requested")
    privacy.export_requested(
        _customer_email(payload), delivery.who, platform="shopify",
        dataRequestId=text(obj(payload.get("data_request")).get("id")) or None,
        ordersRequested=[text(o) for o in requested if text(o)]
        if isinstance(requested, list) else [])
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
