"""Product queries."""

from ..db import get_db


def search(query: dict, sort: list[tuple[str, int]], skip: int, limit: int
           ) -> tuple[list[dict], int]:
    """Return one page of products matching `query`, and the number of matches."""
    products = get_db().products
    items = list(products.find(query).sort(sort).skip(skip).limit(limit))
    # With no filter the collection's own count answers without a scan.
    total = products.count_documents(query) if query else products.estimated_document_count()
    return items, total


def find_by_sku(sku: str) -> dict | None:
    """Return the product with this sku."""
    return get_db().products.find_one({"sku": sku})


def find_by_skus(skus: list[str]) -> list[dict]:
    """Return the products among these skus, in no particular order."""
    return list(get_db().products.find({"sku": {"$in": skus}}))
