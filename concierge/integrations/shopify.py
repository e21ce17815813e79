"""Shopify's webhook payloads as merchant API bodies: products read as the CSV import reads them."""

from __future__ import annotations

from ..merchant import shopify as csv_export
from ..products.service import normal_sku
from .errors import Unmappable
from .mapping import number, obj, objects, platform_id, price, text, when

# Shopify's shipment_status of a fulfilment → the order event's status.
SHIPMENT_STATUSES = {"in_transit": "in_transit", "out_for_delivery": "out_for_delivery",
                     "delivered": "delivered"}


def _rows(product: dict) -> list[dict]:
    """Return the product as the rows of Shopify's product CSV export: one per variant,
    then one per image (the export's own layout)."""
    names = {}
    for index, option in enumerate(sorted(objects(product.get("options")),
                                          key=lambda o: o.get("position") or 0), start=1):
        names[f"Option{index} Name"] = text(option.get("name"))
    first = {"Handle": text(product.get("handle")), "Title": text(product.get("title")),
             "Body (HTML)": text(product.get("body_html")),
             "Type": text(product.get("product_type")), "Tags": text(product.get("tags")),
             "Status": text(product.get("status")), **names}
    rows = []
    for variant in sorted(objects(product.get("variants")),
                          key=lambda v: v.get("position") or 0):
        rows.append({**(first if not rows else {"Handle": first["Handle"], **names}),
                     "Option1 Value": text(variant.get("option1")),
                     "Option2 Value": text(variant.get("option2")),
                     "Option3 Value": text(variant.get("option3")),
                     "Variant SKU": text(variant.get("sku")),
                     "Variant Price": text(variant.get("price")),
                     "Variant Inventory Qty": text(variant.get("inventory_quantity")),
                     "Variant Barcode": text(variant.get("barcode"))})
    for image in objects(product.get("images")):
        rows.append({"Handle": first["Handle"], "Image Src": text(image.get("src")),
                     "Image Position": text(image.get("position"))})
    return rows or [first]


def product(payload: dict, currency: str, store_url: str | None) -> tuple[dict, dict]:
    """Map products/create|update to (merchant product body, {inventory_item_id: sku})."""
    handle = text(payload.get("handle"))
    if not handle:
        raise Unmappable("unmappable_product", "the product has no handle.")
    rows = _rows(payload)
    try:
        body = csv_export.product(handle, rows, currency, store_url, has_quantities=True)
    except ValueError as error:
        raise Unmappable("unmappable_product", f"{handle}: {error}") from None
    priced = [v for v in sorted(objects(payload.get("variants")),
                                key=lambda v: v.get("position") or 0)
              if text(v.get("price"))]
    items = {text(v.get("inventory_item_id")): normal_sku(built["sku"])
             for v, built in zip(priced, body["variants"], strict=True)
             if text(v.get("inventory_item_id"))}
    return body, items


def active(payload: dict) -> bool:
    """Tell whether the product is on sale (status active; no status: as the CSV reads it)."""
    status = text(payload.get("status")).lower()
    return status in ("", "active")


def order(payload: dict, currency: str) -> dict:
    """Map orders/create|updated|cancelled to a merchant order body with its number."""
    email = text(payload.get("email")) or text(payload.get("contact_email")) or text(
        obj(payload.get("customer")).get("email"))
    if not email:
        raise Unmappable("unmappable_order", "the order has no email.")
    currency = text(payload.get("currency")).upper() or currency
    items = []
    for line in objects(payload.get("line_items")):
        items.append({"sku": text(line.get("sku")) or f"SHOPIFY-{platform_id(line)}",
                      "name": (text(line.get("title")) or text(line.get("name")))[:200],
                      "quantity": line.get("quantity"),
                      "price": price(line.get("price"), currency)})
    if not items:
        raise Unmappable("unmappable_order", "the order has no line items.")
    body = {"orderNumber": number(text(payload.get("name")) or text(payload.get("order_number"))),
            "email": email, "postalCode": text(obj(payload.get("shipping_address")).get("zip"))
            or None, "placedAt": when(payload.get("created_at")), "items": items}
    if payload.get("cancelled_at"):
        body["status"] = "cancelled"
    elif text(payload.get("fulfillment_status")) == "fulfilled":
        body["status"] = "shipped"
    else:
        body["status"] = "processing"
    shipped = [f for f in objects(payload.get("fulfillments")) if text(f.get("tracking_number"))]
    if shipped:
        body.update(tracking(shipped[-1]))
    return body


def tracking(fulfilment: dict) -> dict:
    """Return the carrier and tracking fields a fulfilment gives an order (only those set)."""
    found = {"carrier": text(fulfilment.get("tracking_company"))[:60],
             "trackingNumber": text(fulfilment.get("tracking_number"))[:64],
             "trackingUrl": text(fulfilment.get("tracking_url"))}
    return {name: value for name, value in found.items() if value}


def fulfilment_event(payload: dict) -> dict:
    """Return the order event a fulfilment makes (its id names the fulfilment and its state)."""
    status = SHIPMENT_STATUSES.get(text(payload.get("shipment_status")), "shipped")
    at = when(payload.get("updated_at") or payload.get("created_at"))
    # Words of no language: the widget and the emails say the status in the shopper's.
    parts = [text(payload.get("tracking_company"))[:60], text(payload.get("tracking_number"))[:64]]
    description = " · ".join(p for p in parts if p) or text(payload.get("name"))[:60] or "#"
    return {"eventId": f"shopify-fulfillment-{platform_id(payload)}-{status}", "status": status,
            "at": at, "description": description}
