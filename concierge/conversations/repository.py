"""Conversation storage: one document per thread, its messages inside it."""

from __future__ import annotations

from datetime import datetime

from pymongo import ReturnDocument

from ..db import get_db

PAGE = 100
LIST_FIELDS = {"_id": 0, "tokenHashes": 0}


def insert(doc: dict, session=None) -> None:
    """Store a new conversation (conversationId is unique)."""
    get_db().conversations.insert_one(doc, session=session)


def find(conversation_id: str) -> dict | None:
    """Return the conversation with this id."""
    return get_db().conversations.find_one({"conversationId": conversation_id}, {"_id": 0})


def update(conversation_id: str, changes: dict, *, when: dict | None = None,
           before: bool = False) -> dict | None:
    """Apply an update to one conversation (only while it matches `when`); return it."""
    return get_db().conversations.find_one_and_update(
        {"conversationId": conversation_id, **(when or {})}, changes,
        return_document=ReturnDocument.BEFORE if before else ReturnDocument.AFTER)


def add_token_hash(conversation_id: str, digest: str) -> None:
    """Let one more token (an email's link) read the conversation."""
    get_db().conversations.update_one({"conversationId": conversation_id},
                                      {"$push": {"tokenHashes": digest}})


def list_by_status(status: str) -> list[dict]:
    """Return the latest conversations in one status, most recently active first."""
    return list(get_db().conversations.find({"status": status}, LIST_FIELDS)
                .sort("updatedAt", -1).limit(PAGE))


def count_by_status(statuses: tuple[str, ...]) -> dict[str, int]:
    """Count conversations in each status."""
    conversations = get_db().conversations
    return {status: conversations.count_documents({"status": status}) for status in statuses}


def by_email(email: str) -> list[dict]:
    """Return an address's conversations, newest first."""
    return list(get_db().conversations.find({"email": email}, LIST_FIELDS)
                .sort("createdAt", -1).limit(PAGE))


def by_order_key(key: str) -> list[dict]:
    """Return the conversations about an order (its number as shoppers type it)."""
    return list(get_db().conversations.find({"orderKey": key}, LIST_FIELDS)
                .sort("createdAt", -1).limit(PAGE))


def upsert_for_ticket(doc: dict, session=None) -> dict:
    """Store a ticket's conversation unless it has one; return the stored one."""
    return get_db().conversations.find_one_and_update(
        {"ticketNumber": doc["ticketNumber"]}, {"$setOnInsert": doc}, upsert=True,
        return_document=ReturnDocument.AFTER, session=session)


def tickets_without_conversation(limit: int) -> list[dict]:
    """Return stylist tickets stored before conversations (no conversationId yet)."""
    return list(get_db().stylistTickets.find({"conversationId": None}).limit(limit))


def link_ticket(ticket_number: str, conversation_id: str, session=None) -> None:
    """Record a ticket's conversation on the ticket."""
    get_db().stylistTickets.update_one({"ticketNumber": ticket_number},
                                       {"$set": {"conversationId": conversation_id}},
                                       session=session)


def shortlist_exists(shortlist_id: str) -> bool:
    """Tell whether a shortlist with this id is stored."""
    return get_db().widgetShortlists.find_one(
        {"shortlistId": shortlist_id}, {"_id": 1}) is not None


def open_count() -> int:
    """Count conversations waiting for the store's answer."""
    return get_db().conversations.count_documents({"status": "open"})


def first_replies_since(since: datetime) -> list[dict]:
    """Return when each conversation first answered since `since` began and was answered."""
    return list(get_db().conversations.find({"firstReplyAt": {"$gte": since}},
                                            {"_id": 0, "createdAt": 1, "firstReplyAt": 1}))
