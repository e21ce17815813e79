"""POST /conversations, GET /conversations/<id>, POST /conversations/<id>/messages and /read."""

from flask import Blueprint, request

from .. import api, events, limits
from ..flags import require_enabled
from . import service
from .schemas import ConversationInSchema, ConversationSchema, MessageInSchema

bp = Blueprint("conversations", __name__, url_prefix="/api/concierge")
bp.before_request(require_enabled)

NOT_FOUND = (404, "conversation_not_found")
# Documented as a header, not a security scheme: a wrong token answers 404, never 401.
TOKEN_DOC = {"Authorization": {
    "required": False, "schema": {"type": "string", "pattern": "^Bearer [A-Za-z0-9_-]+$"},
    "description": "`Bearer <token>` from POST /conversations; an email's link gives it "
                   "as `?token=` instead. Missing or wrong: 404 conversation_not_found."}}
ID = {"conversation_id": {"type": "string", "pattern": r"^[A-Za-z0-9_-]{16,64}$"}}


def _token() -> str | None:
    """Return the token: Authorization: Bearer, else ?token= (an email's link)."""
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.args.get("token") or None


@bp.post("/conversations")
@limits.writes
@api.documents((503, "concierge_disabled"), tags=("conversations",),
               summary="Write to the store's team (the answer's token continues it)")
@api.responds(201, ConversationSchema, "Conversation started; keep its token")
@api.body(ConversationInSchema)
def create(data):
    """Start a conversation with the store's team."""
    doc, token = service.start(data)
    events.record("aurora_conversation_started", topic=doc["topic"])
    return service.present(doc, token), 201


@bp.get("/conversations/<conversation_id>")
@limits.reads
@api.documents(NOT_FOUND, (503, "concierge_disabled"), tags=("conversations",),
               summary="Read a conversation (its token as Bearer or ?token=)",
               headers=TOKEN_DOC, path=ID)
@api.responds(200, ConversationSchema, "The conversation with every message")
def show(conversation_id):
    """Return the conversation and every message, with unread marks."""
    return service.present(service.authorised(conversation_id, _token()))


@bp.post("/conversations/<conversation_id>/messages")
@limits.writes
@api.documents(NOT_FOUND, (503, "concierge_disabled"), tags=("conversations",),
               summary="Add a message (reopens a closed conversation)",
               headers=TOKEN_DOC, path=ID)
@api.responds(201, ConversationSchema, "Message added; `reopened` says if it reopened it")
@api.body(MessageInSchema)
def write(data, conversation_id):
    """Add the shopper's message to her conversation."""
    doc, reopened = service.write(conversation_id, _token(), data["body"])
    events.record("aurora_conversation_message", reopened=reopened)
    return service.present(doc, reopened=reopened), 201


@bp.post("/conversations/<conversation_id>/read")
@limits.writes
@api.documents(NOT_FOUND, (503, "concierge_disabled"), tags=("conversations",),
               summary="Mark the store's messages read (the widget's unread mark)",
               headers=TOKEN_DOC, path=ID)
@api.responds(200, ConversationSchema, "Every message is read")
def read(conversation_id):
    """Record that the shopper has read the conversation."""
    return service.present(service.mark_read(conversation_id, _token()))
