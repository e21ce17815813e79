"""WooCommerce's webhook payloads (its REST API's product and order) as merchant API bodies."""

from __future__ import annotations

from ..merchant.shopify import COLOR_OPTIONS, SIZE_OPTIONS, html_to_text, variant_sku
from ..products.service import normal_sku
from ..text import fold
from .errors import Unmappable
from .mapping import number, obj, objects, platform_id, price, text, when

CANCELLED = {"cancelled", "refunded", "failed"}


def product_sku(payload: dict) -> str:
    """Return the product's sku: its own, else its slug uppercased."""
    sku = text(payload.get("sku")) or text(payload.get("slug")).upper()
    if not sku:
        raise Unmappable("unmappable_product", "the product has neither sku nor slug.")
    return normal_sku(sku)


def is_variation(payload: dict) -> bool:
    """Tell whether the payload is a variation of a variable product."""
    return text(payload.get("type")) == "variation" or text(payload.get("parent_id")) not in (
        "", "0")


def published(payload: dict) -> bool:
    """Tell whether the product is on sale (status publish)."""
    return text(payload.get("status")) == "publish"


def _stock(payload: dict) -> int:
    quantity = payload.get("stock_quantity")
    if isinstance(quantity, int) and not isinstance(quantity, bool):
        return max(0, quantity)
    # Stock not managed: in stock or not, as WooCommerce says.
    return 1 if text(payload.get("stock_status")) in ("instock", "onbackorder") else 0


def _option(attributes: list[dict], names: set[str], key: str) -> list[str]:
    for attribute in attributes:
        if fold(text(attribute.get("name"))) in names:
            value = attribute.get(key)
            values = value if isinstance(value, list) else [value]
            return [text(v) for v in values if text(v)]
    return []


def product(payload: dict, currency: str, variants: list[dict]) -> dict:
    """Map product.created|updated to a merchant product body, with the variants known."""
    sku = product_sku(payload)
    categories = objects(payload.get("categories"))
    category = text(categories[0].get("name")) if categories else ""
    body = {"sku": sku, "name": text(payload.get("name")),
            "description": html_to_text(text(payload.get("description"))
                                        or text(payload.get("short_description"))),
            "category": category or "uncategorized",
            "tags": [text(t.get("name")) for t in objects(payload.get("tags"))
                     if text(t.get("name"))]}
    images = objects(payload.get("images"))
    if images and text(images[0].get("src")):
        body["imageUrl"] = text(images[0]["src"])
    if text(payload.get("permalink")):
        body["url"] = text(payload.get("permalink"))
    if variants:
        body["variants"] = variants
        return body
    attributes = objects(payload.get("attributes"))
    body.update(price=price(payload.get("price") or payload.get("regular_price"), currency),
                colors=_option(attributes, COLOR_OPTIONS, "options"),
                sizes=_option(attributes, SIZE_OPTIONS, "options"), stock=_stock(payload))
    return body


def variation(payload: dict, parent_sku: str, position: int, currency: str) -> dict:
    """Map a variation to one variant of its parent (sku: its own, else <PARENT>-<n>)."""
    attributes = objects(payload.get("attributes"))
    sizes = _option(attributes, SIZE_OPTIONS, "option")
    colors = _option(attributes, COLOR_OPTIONS, "option")
    return {"sku": normal_sku(text(payload.get("sku")) or variant_sku(parent_sku, position)),
             "size": sizes[0] if sizes else None, "color": colors[0] if colors else None,
             "stock": _stock(payload),
             "price": price(payload.get("price") or payload.get("regular_price"), currency)}


def order(payload: dict, currency: str) -> dict:
    """Map order.created|updated to a merchant order body with its number."""
    billing, shipping = obj(payload.get("billing")), obj(payload.get("shipping"))
    email = text(billing.get("email"))
    if not email:
        raise Unmappable("unmappable_order", "the order has no billing email.")
    currency = text(payload.get("currency")).upper() or currency
    items = [{"sku": text(line.get("sku")) or f"WOO-{platform_id(line, 'product_id')}",
              "name": text(line.get("name"))[:200], "quantity": line.get("quantity"),
              "price": price(line.get("price"), currency)}
             for line in objects(payload.get("line_items"))]
    if not items:
        raise Unmappable("unmappable_order", "the order has no line items.")
    status = text(payload.get("status"))
    return {"orderNumber": number(text(payload.get("number")) or platform_id(payload)),
            "email": email,
            "postalCode": text(shipping.get("postcode")) or text(billing.get("postcode")) or None,
            "status": ("shipped" if status == "completed" else
                       "cancelled" if status in CANCELLED else "processing"),
            "placedAt": when(payload.get("date_created_gmt") or payload.get("date_created")),
            "items": items}


def variation_ids(payload: dict) -> list[str]:
    """Return the ids of a variable product's variations, as text."""
    values = payload.get("variations")
    return [str(v) for v in values if isinstance(v, int) and not isinstance(v, bool)] \
        if isinstance(values, list) else []
