"""Conversation requests and answers, for validation and the OpenAPI document alike."""

from marshmallow import Schema, fields, validate

from ..i18n import LOCALES
from ..schemas import Email, RequestSchema, TrimmedString, UTCDateTime

# What a conversation is about; stylist requests (POST /stylist-tickets) are "stylist".
TOPICS = ("general", "order", "delivery", "returns", "product", "stylist", "other")
STATUSES = ("open", "waiting", "closed")  # waiting: for the shopper, after a staff reply
SENDERS = ("shopper", "staff")
MESSAGE_MAX = 4000
TOKEN = validate.Regexp(r"^[A-Za-z0-9_-]{16,64}$", error="Not a valid identifier.")


def message_field(**metadata) -> TrimmedString:
    """Return the field of one message's text: 1 to 4,000 characters once trimmed."""
    return TrimmedString(required=True, validate=validate.Length(min=1, max=MESSAGE_MAX),
                         metadata=metadata)


class ConversationInSchema(RequestSchema):
    """What a shopper writes to start a conversation with the store's team."""

    openapi_rules = {"shortlistId": "a saved shortlist (POST /shortlists)"}

    name = TrimmedString(required=True, validate=validate.Length(max=120),
                         metadata={"example": "Camille Martin"})
    email = Email(required=True, validate=validate.Length(max=254),
                  metadata={"example": "camille.martin@example.com"})
    message = message_field(example="Can I change my delivery address?")
    topic = fields.String(load_default="general", validate=validate.OneOf(TOPICS))
    locale = fields.String(validate=validate.OneOf(LOCALES), metadata={
        "description": "The shopper's language for the store's emails (else the request's)."})
    orderNumber = TrimmedString(validate=validate.Length(max=40),
                                metadata={"example": "GG-11982"})
    shortlistId = fields.String(validate=TOKEN,
                                metadata={"description": "A shortlist to discuss."})


class MessageInSchema(RequestSchema):
    """One more message from the shopper."""

    body = message_field(example="Thank you! The new address is 4 rue des Lilas.")


class MessageSchema(Schema):
    """One message of the thread; its text is plain text, never HTML."""

    # `from` is a Python keyword: the attribute is sender, the JSON member "from".
    sender = fields.String(data_key="from", metadata={"enum": list(SENDERS)})
    body = fields.String()
    at = UTCDateTime()
    by = fields.String(metadata={"description": "The staff member's name (store messages)."})
    unread = fields.Boolean(metadata={
        "description": "A store message sent after the shopper last read the thread."})


class ConversationSchema(Schema):
    """A conversation as the shopper holding its token sees it."""

    conversationId = fields.String(metadata={"example": "q3Jx8v1cQm2Kp0WcZ5yT7A"})
    token = fields.String(metadata={
        "description": "Only when it is created: reads and continues this conversation "
                       "(send it as Authorization: Bearer). Never shown again."})
    status = fields.String(metadata={"enum": list(STATUSES)})
    topic = fields.String()
    locale = fields.String()
    name = fields.String()
    orderNumber = fields.String(allow_none=True)
    ticketNumber = fields.String(allow_none=True)
    messages = fields.List(fields.Nested(MessageSchema))
    unread = fields.Integer(metadata={"description": "Store messages she has not read."})
    reopened = fields.Boolean(metadata={
        "description": "True when this message reopened a closed conversation."})
    replyExpected = fields.String(metadata={"example": "within one working day"})
    officeHours = fields.String(allow_none=True, metadata={"example": "Mon-Fri 9:00-18:00 CET"})
    createdAt = UTCDateTime()
    updatedAt = UTCDateTime()
