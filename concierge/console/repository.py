"""Reads and conditional writes of the records staff work on."""

from __future__ import annotations

from datetime import datetime

from pymongo import ReturnDocument

from ..db import get_db

PAGE = 100


def _listed(collection: str, query: dict, projection: dict | None = None) -> list[dict]:
    return list(get_db()[collection].find(query, projection or {"_id": 0})
                .sort("createdAt", -1).limit(PAGE))


def list_returns(status: str | None, number: str | None) -> list[dict]:
    """Return returns, newest first: of one order, RMA or email, or in one status."""
    if number and "@" in number:
        return _listed("returns", {"email": number.strip().lower()})
    if number and number.upper().startswith("RMA-"):
        return _listed("returns", {"rmaNumber": number.upper()})
    if number:
        return _listed("returns", {"orderNumber": number.upper().lstrip("#")})
    return _listed("returns", {"status": status} if status else {})


def orders_of(numbers: list[str]) -> dict[str, dict]:
    """Return the orders of these numbers (their lines' names and prices), by number."""
    found = get_db().orders.find({"orderNumber": {"$in": numbers}},
                                 {"_id": 0, "orderNumber": 1, "items": 1})
    return {doc["orderNumber"]: doc for doc in found}


def set_reject_reason(rma_number: str, reason: str) -> None:
    """Keep why staff rejected a return."""
    get_db().returns.update_one({"rmaNumber": rma_number},
                                {"$set": {"rejectReason": reason}})


def resolutions_since(since: datetime) -> dict[str, dict]:
    """Count the items of returns made since `since` by resolution, with credit totals."""
    pipeline = [{"$match": {"createdAt": {"$gte": since}}}, {"$unwind": "$items"},
                {"$group": {"_id": {"$ifNull": ["$items.resolution", "refund"]},
                            "returns": {"$addToSet": "$rmaNumber"},
                            "items": {"$sum": "$items.quantity"},
                            "credit": {"$sum": {"$ifNull": ["$items.creditAmount.amount", 0]}}}}]
    found = {doc["_id"]: {"returns": len(doc["returns"]), "items": doc["items"],
                          "credit": doc["credit"]}
             for doc in get_db().returns.aggregate(pipeline)}
    return {name: found.get(name, {"returns": 0, "items": 0, "credit": 0})
            for name in ("refund", "exchange", "store_credit")}


def find_return(rma_number: str) -> dict | None:
    """Return one return."""
    return get_db().returns.find_one({"rmaNumber": rma_number}, {"_id": 0})


def list_tickets(status: str | None) -> list[dict]:
    """Return stylist tickets, newest first, optionally in one status."""
    return _listed("stylistTickets", {"status": status} if status else {})


def find_ticket(ticket_number: str) -> dict | None:
    """Return one stylist ticket."""
    return get_db().stylistTickets.find_one({"ticketNumber": ticket_number}, {"_id": 0})


def move(collection: str, key: str, value: str, current: str, to: str, at: datetime,
         by: dict) -> dict | None:
    """Change a record's status only if it is still `current`; return it changed."""
    # No projection: mongomock then finds nothing to return after the update.
    return get_db()[collection].find_one_and_update(
        {key: value, "status": current},
        {"$set": {"status": to, "updatedAt": at},
         "$push": {"statusHistory": {"from": current, "to": to, "at": at, "by": by}}},
        return_document=ReturnDocument.AFTER)


def outbox_counts(statuses: tuple[str, ...]) -> dict[str, int]:
    """Count outbox messages in each status."""
    outbox = get_db().outbox
    return {status: outbox.count_documents({"status": status}) for status in statuses}


def waiting(channel: str) -> int:
    """Count the messages of one channel waiting to be sent (pending or being sent)."""
    return get_db().outbox.count_documents(
        {"status": {"$in": ["pending", "sending"]}, "channel": channel})  # outbox_due_by_channel


def list_outbox(status: str) -> list[dict]:
    """Return outbox messages in one status, newest first."""
    return _listed("outbox", {"status": status}, {"email.context": 0})


# One document counts the sign-outs: a session started at another count is over.
SESSIONS = {"_id": "console-sessions"}


def session_generation() -> int:
    """Return how many times staff signed out (the current session generation)."""
    found = get_db().consoleSessions.find_one(SESSIONS)
    return found["generation"] if found else 0


def end_sessions() -> None:
    """Move to the next generation: every session started before is over."""
    get_db().consoleSessions.update_one(SESSIONS, {"$inc": {"generation": 1}}, upsert=True)
