"""Shortlist documents."""

from datetime import datetime

from pymongo import ReturnDocument

from ..db import get_db


def insert(doc: dict) -> None:
    """Store a new shortlist."""
    get_db().widgetShortlists.insert_one(doc)


def find(shortlist_id: str) -> dict | None:
    """Return the shortlist with this id."""
    return get_db().widgetShortlists.find_one({"shortlistId": shortlist_id})


def replace_skus(shortlist_id: str, skus: list[str], at: datetime) -> dict | None:
    """Replace the shortlist's skus; return it, or None when there is no such list."""
    return get_db().widgetShortlists.find_one_and_update(
        {"shortlistId": shortlist_id}, {"$set": {"skus": skus, "updatedAt": at}},
        return_document=ReturnDocument.AFTER)
