"""Start and continue conversations; the token that reads one is checked here.

A token is 256 random bits handed to the shopper once; only its SHA-256 is
stored. Every staff reply's email carries a fresh token of its own, minted as the
email is composed (outbox.init_app's `conversation_token`), so no stored document
ever holds one.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import current_app, g
from marshmallow import ValidationError

from .. import outbox
from ..clock import now
from ..db import get_db
from ..errors import NotFound
from ..i18n import current_locale, stored_locale
from ..ids import looks_like_public_id, new_public_id
from ..text import normal_email, order_key
from . import repository, settings
from .schemas import STATUSES

CREATED, MESSAGE_CREATED = "conversation.created", "conversation.message_created"
# Compared against when no conversation has the id, so both refusals take the same path.
_NOBODY = hashlib.sha256(b"no conversation").hexdigest()


class ConversationNotFound(NotFound):
    """No conversation has this id, or the token is not one of its tokens."""

    code, title = "conversation_not_found", "Conversation not found"


def new_token() -> tuple[str, str]:
    """Return a fresh token and the digest stored for it."""
    token = secrets.token_urlsafe(32)
    return token, digest(token)


def digest(token: str) -> str:
    """Return the stored form of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def _message(sender: str, body: str, at, by: str | None = None) -> dict:
    message = {"sender": sender, "body": body, "at": at}
    if by:
        message["by"] = by
    return message


def new_document(data: dict, token_digest: str | None, **extra) -> dict:
    """Build a conversation document from a validated request."""
    at = extra.pop("at", None) or now()
    number = data.get("orderNumber")
    return {"conversationId": new_public_id(),
            "tokenHashes": [token_digest] if token_digest else [],
            "status": "open", "topic": data.get("topic") or "general",
            "locale": data.get("locale") or current_locale(),
            "name": data["name"], "email": normal_email(data["email"]),
            "orderNumber": number, "orderKey": order_key(number) if number else None,
            "shortlistId": data.get("shortlistId"),
            "sessionId": g.get("session_id"), "assignee": None,
            "messages": [_message("shopper", data["message"], at)],
            "createdAt": at, "updatedAt": at, "lastShopperAt": at,
            "firstReplyAt": None, "shopperReadAt": at, **extra}


def start(data: dict, session=None) -> tuple[dict, str]:
    """Store a new conversation and announce it; return it and its token."""
    shortlist_id = data.get("shortlistId")
    if shortlist_id and not repository.shortlist_exists(shortlist_id):
        raise ValidationError({"shortlistId": ["No shortlist has this id."]})
    token, token_digest = new_token()
    doc = new_document(data, token_digest)
    repository.insert(doc, session)
    announce_created(doc, session)
    return doc, token


# A ticket's status as a conversation's (the console's ticket page keeps the ticket's own).
TICKET_STATUS = {"open": "open", "scheduled": "waiting", "closed": "closed"}
MIGRATE_BATCH = 500


def for_ticket(ticket: dict, session=None, *, with_token: bool = True
               ) -> tuple[dict, str | None]:
    """Store the conversation of a stylist ticket (once); return it and its token.

    A ticket stored before conversations gets one without a token (`with_token`
    False): its shopper reads it through the ticket page until the store answers,
    and the answer's email brings a link of its own.
    """
    token, token_digest = new_token() if with_token else (None, None)
    data = {**ticket, "topic": "stylist", "orderNumber": None}
    doc = new_document(data, token_digest, at=ticket.get("createdAt") or now(),
                       ticketNumber=ticket["ticketNumber"],
                       status=TICKET_STATUS.get(ticket.get("status"), "open"))
    doc["sessionId"] = ticket.get("sessionId")
    stored = repository.upsert_for_ticket(doc, session)
    repository.link_ticket(ticket["ticketNumber"], stored["conversationId"], session)
    return stored, token if stored["conversationId"] == doc["conversationId"] else None


def migrate_tickets() -> int:
    """Give every stylist ticket stored before conversations its conversation; return how many.

    Idempotent: a ticket already linked is not read, and one whose conversation was
    stored before a crash cut the link finds it again (unique by ticketNumber).
    """
    done = 0
    while batch := repository.tickets_without_conversation(MIGRATE_BATCH):
        for ticket in batch:
            for_ticket(ticket, with_token=False)
            done += 1
    return done


def add_token(conversation_id: str) -> str:
    """Give a conversation one more token (a replayed answer's) and return it."""
    token, token_digest = new_token()
    repository.add_token_hash(conversation_id, token_digest)
    return token


def announce_created(doc: dict, session=None) -> None:
    """Queue conversation.created for the store's systems (never the token)."""
    data = {name: doc.get(name) for name in ("conversationId", "topic", "name", "email",
                                             "locale", "orderNumber", "ticketNumber",
                                             "createdAt")}
    data["message"] = doc["messages"][0]["body"]
    outbox.enqueue(get_db(), CREATED, {k: v for k, v in data.items() if v is not None},
                   session=session)


def authorised(conversation_id: str, token: str | None) -> dict:
    """Return the conversation this token reads; raise ConversationNotFound otherwise.

    An unknown id and a wrong token are refused alike, after the same comparison.
    """
    doc = repository.find(conversation_id) if looks_like_public_id(conversation_id) else None
    given = digest(token or "")
    stored = doc["tokenHashes"] if doc and doc.get("tokenHashes") else [_NOBODY]
    matched = False
    for candidate in stored:  # every one compared: the time does not tell which matched
        matched |= hmac.compare_digest(candidate, given)
    if doc is None or not token or not matched:
        raise ConversationNotFound("No conversation has this id, or the token does not "
                                   "open it.")
    return doc


def write(conversation_id: str, token: str | None, body: str) -> tuple[dict, bool]:
    """Add the shopper's message; return the conversation and whether it reopened it."""
    authorised(conversation_id, token)
    at = now()
    before = repository.update(conversation_id, {
        "$push": {"messages": _message("shopper", body, at)},
        "$set": {"status": "open", "updatedAt": at, "lastShopperAt": at,
                 "shopperReadAt": at}}, before=True)
    doc = repository.find(conversation_id)
    announce_message(doc, doc["messages"][-1])
    return doc, before["status"] == "closed"


def announce_message(doc: dict, message: dict, email: tuple[str, dict] | None = None) -> None:
    """Queue conversation.message_created (an email to the shopper for a store reply)."""
    data = {"conversationId": doc["conversationId"], "from": message["sender"],
            "body": message["body"], "at": message["at"], "status": doc["status"],
            "topic": doc["topic"], "email": doc["email"]}
    if message.get("by"):
        data["by"] = message["by"]
    outbox.enqueue(get_db(), MESSAGE_CREATED, data, emails=[email] if email else None)


def mark_read(conversation_id: str, token: str | None) -> dict:
    """Record that the shopper has read every message so far."""
    authorised(conversation_id, token)
    return repository.update(conversation_id, {"$set": {"shopperReadAt": now()}})


def present(doc: dict, token: str | None = None, reopened: bool | None = None) -> dict:
    """Return the conversation as its shopper sees it: unread marks and the store's promise."""
    read_at = doc.get("shopperReadAt")
    messages = [{**m, "unread": m["sender"] == "staff" and (read_at is None or m["at"] > read_at)}
                for m in doc["messages"]]
    locale = stored_locale(doc)
    config = current_app.config["CONCIERGE"]
    answer = {**doc, "messages": messages, "unread": sum(m["unread"] for m in messages),
              "replyExpected": settings.reply_time(config, locale),
              "officeHours": settings.office_hours(config, locale)}
    if token is not None:
        answer["token"] = token
    if reopened is not None:
        answer["reopened"] = reopened
    return answer


def find(conversation_id: str) -> dict:
    """Return a conversation for the store's staff, or raise ConversationNotFound."""
    doc = repository.find(conversation_id) if looks_like_public_id(conversation_id) else None
    if doc is None:
        raise ConversationNotFound(f"No conversation has the id {conversation_id}.")
    return doc


def reply(conversation_id: str, body: str, staff: str) -> dict:
    """Add a staff reply: the shopper waits no more, and hears of it by email."""
    find(conversation_id)
    at = now()
    message = _message("staff", body, at, staff)
    before = repository.update(conversation_id, {
        "$push": {"messages": message},
        "$set": {"status": "waiting", "updatedAt": at}}, before=True)
    if before.get("firstReplyAt") is None:
        repository.update(conversation_id, {"$set": {"firstReplyAt": at}},
                          when={"firstReplyAt": None})
    doc = repository.find(conversation_id)
    # The link's token is minted when the email is composed: none waits in the outbox.
    context = {"locale": stored_locale(doc), "conversationId": conversation_id,
               "name": doc["name"], "by": staff}
    announce_message(doc, message, (doc["email"], context))
    return doc


def set_status(conversation_id: str, to: str) -> tuple[dict, str]:
    """Close or reopen a conversation; return it and the status it left."""
    if to not in STATUSES:
        raise ValueError(to)
    doc = find(conversation_id)
    current = doc["status"]
    if current == to:
        return doc, current
    doc = repository.update(conversation_id, {"$set": {"status": to, "updatedAt": now()}})
    return doc, current


def assign(conversation_id: str, assignee: str | None) -> tuple[dict, str | None]:
    """Give a conversation to a named person (None: to nobody); return it and the one before."""
    before = find(conversation_id).get("assignee")
    doc = repository.update(conversation_id, {"$set": {"assignee": assignee or None}})
    return doc, before


def list_status(status: str) -> list[dict]:
    """Return the latest conversations in one status."""
    return repository.list_by_status(status)


def counts() -> dict[str, int]:
    """Count conversations in each status."""
    return repository.count_by_status(STATUSES)


def search(query: str) -> list[dict]:
    """Find conversations by the shopper's email or an order number."""
    query = query.strip()
    if "@" in query:
        return repository.by_email(normal_email(query))
    return repository.by_order_key(order_key(query))


def earlier(doc: dict) -> list[dict]:
    """Return the other conversations of the same address."""
    return [c for c in repository.by_email(doc["email"])
            if c["conversationId"] != doc["conversationId"]]
