"""GET and POST /conversations/<id>?token=…: the thread an email's link opens, with a reply box.

The token in the link is the key: the form sends it back (no one without it can post,
so it also stands for a CSRF token). A wrong link answers as an unknown one.
"""

from flask import Blueprint, request
from marshmallow import ValidationError

from .. import events
from ..i18n import stored_locale
from ..pages import page, reads, writes
from . import service
from .schemas import MessageInSchema

bp = Blueprint("conversation_pages", __name__)
bp.register_error_handler(service.ConversationNotFound,
                          lambda _: page("conversation.html", 404, conversation=None))


def _show(doc: dict, token: str, status: int = 200, **context):
    return page("conversation.html", status, conversation=service.present(doc), token=token,
                locale=stored_locale(doc), **context)


@bp.get("/conversations/<conversation_id>")
@reads
def show(conversation_id):
    """Show the thread and a reply box (a GET marks nothing read: mail scanners follow links)."""
    token = request.args.get("token", "")
    return _show(service.authorised(conversation_id, token), token)


@bp.post("/conversations/<conversation_id>")
@writes
def reply(conversation_id):
    """Add the shopper's reply from the page's form."""
    token = request.form.get("token", "")
    doc = service.authorised(conversation_id, token)
    try:
        body = MessageInSchema().load({"body": request.form.get("body", "")})["body"]
    except ValidationError as error:
        return _show(doc, token, 422, error=error.messages["body"][0],
                     draft=request.form.get("body", ""))
    doc, reopened = service.write(conversation_id, token, body)
    events.record("aurora_conversation_message", reopened=reopened, source="email")
    return _show(doc, token, 201, sent=True, reopened=reopened)
