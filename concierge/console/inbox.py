"""/console/conversations: the inbox where staff answer shoppers' conversations."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from ..conversations import service as conversations
from ..conversations.schemas import MESSAGE_MAX, STATUSES
from ..orders import repository as orders
from ..products import repository as products
from ..shortlists import service as shortlists
from ..shortlists.service import ShortlistNotFound
from . import auth, hooks, workflow
from .schemas import AssignSchema, ConversationMoveSchema, InboxQuery, ReplySchema

bp = Blueprint("console_inbox", __name__, url_prefix="/console/conversations")
hooks.install(bp)
STATUS_LABELS = {"open": "Open", "waiting": "Waiting for the shopper", "closed": "Closed"}


@bp.context_processor
def _section() -> dict:
    return {"section": "console_inbox.inbox", "status_labels": STATUS_LABELS}


def _form(schema) -> dict:
    data = request.form.to_dict()
    data.pop("csrf_token", None)  # checked by the console's guard
    return schema.load(data)


def _back(conversation_id: str, message: str):
    flash(message)
    return redirect(url_for("console_inbox.thread", conversation_id=conversation_id), 303)


@bp.get("")
@auth.staff_only
def inbox():
    """List conversations in one status (with every status's count), or those matching ?q=."""
    query = InboxQuery().load(request.args.to_dict())
    found = conversations.search(query["q"]) if query["q"] else None
    return render_template(
        "console/conversations.html", status=query["status"], q=query["q"],
        statuses=STATUSES, counts=conversations.counts(),
        conversations=found if found is not None else conversations.list_status(query["status"]))


def _shortlist_names(shortlist_id: str | None) -> list[str]:
    if not shortlist_id:
        return []
    try:
        return [item["name"] for item in shortlists.get(shortlist_id)["items"]]
    except ShortlistNotFound:
        return []


def _order_items(order: dict | None) -> list[str]:
    """Return an order's lines as names (the sku when the product is gone) and quantities."""
    if not order:
        return []
    lines = order.get("items") or []
    names = {}
    for product in products.named([line["sku"] for line in lines], {"sku": 1, "skus": 1,
                                                                     "name": 1}):
        names.update(dict.fromkeys(product.get("skus") or [product["sku"]], product["name"]))
    return [f"{names.get(line['sku'], line['sku'])} x {line.get('quantity', 1)}"
            for line in lines]


@bp.get("/<conversation_id>")
@auth.staff_only
def thread(conversation_id):
    """Show the whole thread beside the shopper's order, shortlist and earlier conversations."""
    doc = conversations.find(conversation_id)
    order = orders.find_for_shopper(doc["orderNumber"]) if doc.get("orderNumber") else None
    return render_template(
        "console/conversation.html", conversation=doc, order=order,
        order_items=_order_items(order),
        shortlist=_shortlist_names(doc.get("shortlistId")), earlier=conversations.earlier(doc),
        message_max=MESSAGE_MAX, staff_names=workflow.staff_names())


@bp.post("/<conversation_id>/reply")
@auth.staff_only
def reply(conversation_id):
    """Answer the shopper (she is emailed, in her language)."""
    workflow.reply_conversation(conversation_id, _form(ReplySchema())["body"])
    return _back(conversation_id, "Reply sent; the shopper is emailed.")


@bp.post("/<conversation_id>/status")
@auth.staff_only
def move(conversation_id):
    """Close or reopen a conversation."""
    to = _form(ConversationMoveSchema())["to"]
    workflow.move_conversation(conversation_id, to)
    return _back(conversation_id, "Conversation closed." if to == "closed"
                 else "Conversation reopened.")


@bp.post("/<conversation_id>/assign")
@auth.staff_only
def assign(conversation_id):
    """Give the conversation to a named person (or to nobody)."""
    assignee = _form(AssignSchema())["assignee"]
    workflow.assign_conversation(conversation_id, assignee)
    return _back(conversation_id, f"Assigned to {assignee}." if assignee else "Unassigned.")
