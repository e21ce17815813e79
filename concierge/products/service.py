"""Search the catalogue and fetch products."""

from __future__ import annotations

from ..errors import NotFound
from ..text import fold, tokens
from . import repository

# Ties broken by sku so that pages never overlap or skip a product.
SORT_KEYS = {
    "relevance": [("rank", 1), ("sku", 1)],
    "price_asc": [("price.amount", 1), ("sku", 1)],
    "price_desc": [("price.amount", -1), ("sku", 1)],
    "newest": [("createdAt", -1), ("sku", 1)],
}


class ProductNotFound(NotFound):
    """No product has this sku."""

    code, title = "product_not_found", "Product not found"


def build_query(params: dict) -> dict:
    """Turn validated search parameters into a MongoDB filter of plain scalars."""
    query: dict = {}
    words = tokens(params.get("q") or "")
    if words:
        query["keywords"] = {"$all": words}
    if "category" in params:
        query["category"] = fold(params["category"])
    if "color" in params:
        query["colors"] = fold(params["color"])
    if "size" in params:
        query["sizes"] = params["size"]
    price = {}
    if "minPrice" in params:
        price["$gte"] = params["minPrice"]
    if "maxPrice" in params:
        price["$lte"] = params["maxPrice"]
    if price:
        query["price.amount"] = price
    if "inStock" in params:
        query["inStock"] = params["inStock"]
    return query


def search(params: dict) -> dict:
    """Return one page of matching products with the total."""
    page, size = params["page"], params["pageSize"]
    items, total = repository.search(build_query(params), SORT_KEYS[params["sort"]],
                                     (page - 1) * size, size)
    return {"items": items, "page": page, "pageSize": size, "total": total}


def normal_sku(sku: str) -> str:
    """Return a sku as stored (uppercase, trimmed)."""
    return sku.strip().upper()


def get(sku: str) -> dict:
    """Return the product with this sku, else raise ProductNotFound."""
    product = repository.find_by_sku(normal_sku(sku)) if len(sku) <= 40 else None
    if product is None:
        raise ProductNotFound(f"No product has the sku {sku[:40]!r}.")
    return product


def by_skus(skus: list[str]) -> dict[str, dict]:
    """Return the existing products among these skus, keyed by sku."""
    return {p["sku"]: p for p in repository.find_by_skus(skus)} if skus else {}
