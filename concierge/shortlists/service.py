"""Save and share shortlists of products."""

from __future__ import annotations

from flask import g

from ..clock import now
from ..errors import NotFound, Unprocessable
from ..ids import looks_like_public_id, new_public_id
from ..products import service as products
from . import repository


class ShortlistNotFound(NotFound):
    """No shortlist has this id."""

    code, title = "shortlist_not_found", "Shortlist not found"


def _resolve(skus: list[str]) -> tuple[list[str], dict[str, dict]]:
    """Drop repeats (keeping order) and refuse unknown skus, naming each one."""
    first: dict[str, int] = {}
    for index, sku in enumerate(skus):
        first.setdefault(products.normal_sku(sku), index)
    found = products.by_skus(list(first))
    unknown = {sku: index for sku, index in first.items() if sku not in found}
    if unknown:
        raise Unprocessable(
            f"Unknown sku: {', '.join(unknown)}.", code="validation_error",
            title="Validation failed", unknownSkus=list(unknown),
            errors={f"skus.{index}": [f"No product has the sku {sku}."]
                    for sku, index in unknown.items()})
    return list(first), found


def _answer(doc: dict, found: dict[str, dict]) -> dict:
    # A product removed from the catalogue since is left out, not failed on.
    return {**doc, "items": [found[sku] for sku in doc["skus"] if sku in found]}


def create(data: dict) -> dict:
    """Store a new shortlist of the validated skus."""
    skus, found = _resolve(data["skus"])
    at = now()
    doc = {"shortlistId": new_public_id(), "skus": skus, "createdAt": at,
           "updatedAt": at, "sessionId": g.get("session_id")}
    repository.insert(doc)
    return _answer(doc, found)


def get(shortlist_id: str) -> dict:
    """Return the shortlist with its products, else raise ShortlistNotFound."""
    doc = repository.find(shortlist_id) if looks_like_public_id(shortlist_id) else None
    if doc is None:
        raise ShortlistNotFound("No shortlist has this id.")
    return _answer(doc, products.by_skus(doc["skus"]))


def replace(shortlist_id: str, data: dict) -> dict:
    """Replace the shortlist's skus, else raise ShortlistNotFound."""
    skus, found = _resolve(data["skus"])
    doc = (repository.replace_skus(shortlist_id, skus, now())
           if looks_like_public_id(shortlist_id) else None)
    if doc is None:
        raise ShortlistNotFound("No shortlist has this id.")
    return _answer(doc, found)
