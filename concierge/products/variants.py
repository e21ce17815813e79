"""A product's variants: the explicit ones, or the one implicit variant of a plain product.

A product sent with `variants` is stored with them (each with its own sku, size, colour,
stock and price) and with `sizes`, `colors`, `stock`, `price` and `inStock` derived from
them.  A product sent without is stored as before and read as one implicit variant: its
own sku, every size and colour it lists, its stock.  `skus` holds the product's sku and
its variants' skus; a unique multikey index on it keeps every sku to one product.
"""

from __future__ import annotations

LOW_STOCK = 3  # 1-3 units left: lowStock


def explicit(product: dict) -> bool:
    """Tell whether the product was given variants of its own."""
    return bool(product.get("variants"))


def variants_of(product: dict) -> list[dict]:
    """Return the product's variants as stored, or its one implicit variant."""
    if explicit(product):
        return product["variants"]
    stock = product.get("stock") or 0
    if "inStock" in product and product["inStock"] != (stock > 0):
        stock = max(stock, 1) if product["inStock"] else 0  # the stored flag wins
    return [{"sku": product["sku"], "size": None, "color": None, "stock": stock,
             "price": product.get("price")}]


def available(variant: dict) -> bool:
    """Tell whether a variant can be bought now."""
    return variant.get("stock", 0) > 0


def public(variant: dict) -> dict:
    """Return what shoppers see of a variant: no stock count, only whether and how few."""
    stock = variant.get("stock", 0)
    return {"sku": variant["sku"], "size": variant.get("size"), "color": variant.get("color"),
            "available": stock > 0, "lowStock": 0 < stock <= LOW_STOCK}


def public_variants(product: dict) -> list[dict]:
    """Return the product's variants as shoppers see them (kept as they are when already)."""
    found = product.get("variants")
    if found and "available" in found[0]:
        return found
    return [public(v) for v in variants_of(product)]


def skus_of(product: dict) -> list[str]:
    """Return every sku that names the product: its own, then its variants'."""
    return list(dict.fromkeys([product["sku"], *(v["sku"] for v in product.get("variants")
                                                 or ())]))


def matching(product: dict, sku: str) -> dict | None:
    """Return the explicit variant with this sku, else None."""
    return next((v for v in product.get("variants") or () if v["sku"] == sku), None)
