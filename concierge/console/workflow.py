"""Staff actions: each checks the move is allowed, makes it and writes the audit."""

from __future__ import annotations

from datetime import timedelta

from .. import flags, outbox
from ..clock import now
from ..conversations import service as conversations
from ..db import get_db
from ..errors import Conflict, NotFound
from ..i18n import stored_locale
from ..inspiration import service as inspiration
from ..returns import service as returns
from . import accounts, audit, repository
from .auth import actor

RETURN_MOVES = {"requested": ("approved", "rejected"), "approved": ("received",),
                "received": ("refunded",)}
RETURN_STATUSES = ("requested", "approved", "rejected", "received", "refunded")
TICKET_MOVES = {"open": ("scheduled",), "scheduled": ("closed",)}
TICKET_STATUSES = ("open", "scheduled", "closed")


class MoveNotAllowed(Conflict):
    """The record is not in a status this move starts from."""

    code, title = "move_not_allowed", "This change is not possible"


class TicketNotFound(NotFound):
    """No stylist ticket has this number."""

    title = "Ticket not found"


class ReturnNotFound(NotFound):
    """No return has this RMA number."""

    title = "Return not found"


def find_ticket(ticket_number: str) -> dict:
    """Return the ticket, or raise TicketNotFound."""
    doc = repository.find_ticket(ticket_number)
    if doc is None:
        raise TicketNotFound(f"No ticket has the number {ticket_number}.")
    return doc


def find_return(rma_number: str) -> dict:
    """Return the return, or raise ReturnNotFound."""
    doc = repository.find_return(rma_number)
    if doc is None:
        raise ReturnNotFound(f"No return has the number {rma_number}.")
    return doc


def _move(kind: str, collection: str, key: str, value: str, doc: dict,
          moves: dict, to: str) -> dict:
    current = doc["status"]
    if to not in moves.get(current, ()):
        raise MoveNotAllowed(f"{kind.capitalize()} {value} is {current}; it cannot "
                             f"become {to}.")
    moved = repository.move(collection, key, value, current, to, now(), actor())
    if moved is None:  # someone else moved it between the read and this write
        raise MoveNotAllowed(f"{kind.capitalize()} {value} was changed meanwhile; "
                             "reload and try again.")
    audit.record(f"{collection}.status_changed", value, **{"from": current, "to": to})
    return moved


def move_return(rma_number: str, to: str, reason: str = "") -> dict:
    """Move a return one step; queue return.status_changed (emailing the shopper).

    A rejection gives back the stock its exchanges reserved, and may say why.
    """
    moved = _move("return", "returns", "rmaNumber", rma_number,
                  find_return(rma_number), RETURN_MOVES, to)
    data = {"rmaNumber": rma_number, "status": to}
    if to == "rejected":
        returns.give_back_exchanges(moved)
        if reason:
            repository.set_reject_reason(rma_number, reason)
            data["rejectReason"] = reason
    context = {"rmaNumber": rma_number, "status": to, "orderNumber": moved["orderNumber"],
               "locale": stored_locale(moved)}
    if data.get("rejectReason"):
        context["rejectReason"] = reason
    outbox.enqueue(get_db(), "return.status_changed", data,
                   email_to=moved.get("email"), email_context=context)
    return moved


def cancel_exchange(rma_number: str) -> dict:
    """Give back an open return's exchange stock; its items are refunded instead."""
    rma = find_return(rma_number)
    if rma["status"] not in ("requested", "approved"):
        raise MoveNotAllowed(f"Return {rma_number} is {rma['status']}; its exchange can "
                             "no longer be cancelled.")
    try:
        doc = returns.cancel_exchanges(rma, actor())
    except returns.NoExchangeToCancel as error:
        raise MoveNotAllowed(error.detail) from None
    audit.record("returns.exchange_cancelled", rma_number,
                 skus=[i["cancelledExchangeSku"] for i in doc["items"]
                       if i.get("cancelledExchangeSku")])
    return doc


def order_lines(returns_: list[dict]) -> dict[tuple[str, str], dict]:
    """Return the order line (name, price) of each returned sku, by (order number, sku)."""
    orders = repository.orders_of(sorted({r["orderNumber"] for r in returns_
                                          if r.get("orderNumber")}))
    return {(number, item["sku"]): item for number, order in orders.items()
            for item in order.get("items") or ()}


SPLIT_DAYS = 30


def return_split() -> dict[str, dict]:
    """Count the last 30 days' returned items by resolution (refund, exchange, credit)."""
    return repository.resolutions_since(now() - timedelta(days=SPLIT_DAYS))


def move_ticket(ticket_number: str, to: str) -> dict:
    """Move a stylist ticket one step."""
    return _move("ticket", "stylistTickets", "ticketNumber", ticket_number,
                 find_ticket(ticket_number), TICKET_MOVES, to)


def moderate(upload_id: str, decision: str) -> dict:
    """Approve or reject an upload through the inspiration service."""
    doc = inspiration.decide(upload_id, decision, None)
    audit.record("inspiration.moderated", upload_id, decision=decision)
    return doc


def shown(flag: dict) -> bool:
    """Tell whether any shopper sees the concierge under this flag."""
    return bool(flag.get("enabled")) and (flag.get("canaryPercent") or 0) > 0


def flag_words(enabled: bool, canary_percent: int) -> str:
    """Say what shoppers get under this flag, in plain words."""
    if not enabled or canary_percent == 0:
        return "The concierge is off for every shopper: they see the contact link instead."
    if canary_percent == 100:
        return "The concierge is on for every shopper."
    return f"The concierge is on for {canary_percent} % of shoppers."


def set_flag(enabled: bool, canary_percent: int) -> dict:
    """Change the feature flag and canary, in this server's own store too."""
    before = flags.get_flag(get_db())
    flag = flags.set_flag(get_db(), enabled, canary_percent)
    audit.record("flag.changed", flags.FLAG_ID,
                 before={"enabled": before["enabled"],
                         "canaryPercent": before.get("canaryPercent", 0)},
                 after={"enabled": enabled, "canaryPercent": canary_percent})
    return flag


def retry_delivery(message_id: str) -> None:
    """Queue a failed outbox message again."""
    if not outbox.retry(get_db(), message_id):
        raise MoveNotAllowed(f"Delivery {message_id} is not failed or waiting (or does not "
                             "exist); delivered ones are not sent again.")
    audit.record("outbox.retried", message_id)


def reply_conversation(conversation_id: str, body: str) -> dict:
    """Answer a shopper as the signed-in staff member; she is emailed."""
    staff = actor()["staff"]
    doc = conversations.reply(conversation_id, body, staff)
    audit.record("conversation.replied", conversation_id, characters=len(body))
    return doc


def move_conversation(conversation_id: str, to: str) -> dict:
    """Close or reopen a conversation."""
    doc, before = conversations.set_status(conversation_id, to)
    if before == to:
        raise MoveNotAllowed(f"Conversation {conversation_id} is already {to}.")
    audit.record("conversation.closed" if to == "closed" else "conversation.reopened",
                 conversation_id, **{"from": before, "to": to})
    return doc


def assign_conversation(conversation_id: str, assignee: str) -> dict:
    """Give a conversation to a named person ("" = to nobody)."""
    doc, before = conversations.assign(conversation_id, assignee or None)
    audit.record("conversation.assigned", conversation_id, **{"from": before,
                                                              "to": assignee or None})
    return doc


def staff_names() -> list[str]:
    """Return the names a conversation can be assigned to (the staff accounts)."""
    return accounts.names()
