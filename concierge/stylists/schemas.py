"""Stylist ticket request and answer."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..clock import now
from ..schemas import E164, Email, RequestSchema, TrimmedString, UTCDateTime

TOPICS = ("fit", "occasion", "wardrobe", "gift", "other")
CONTACTS = ("email", "phone")
TOKEN = validate.Regexp(r"^[A-Za-z0-9_-]{16,64}$", error="Not a valid identifier.")


class StylistTicketInSchema(RequestSchema):
    """What a shopper asks a stylist."""

    # Contact by phone needs the phone; by email (the default) it is optional.
    openapi_keywords = {"oneOf": [
        {"properties": {"preferredContact": {"enum": ["email"]}}},
        {"required": ["preferredContact", "phone"],
         "properties": {"preferredContact": {"enum": ["phone"]}}},
    ]}
    openapi_rules = {"preferredTime": "in the future",
                     "shortlistId": "a saved shortlist (POST /shortlists)"}

    name = TrimmedString(required=True, validate=validate.Length(max=120),
                         metadata={"example": "Avery Stone"})
    email = Email(required=True, validate=validate.Length(max=254),
                  metadata={"example": "avery.stone@example.com"})
    topic = fields.String(required=True, validate=validate.OneOf(TOPICS))
    message = TrimmedString(required=True, validate=validate.Length(max=2000),
                            metadata={"example": "Which blazer suits a summer wedding?"})
    preferredContact = fields.String(load_default="email", validate=validate.OneOf(CONTACTS))
    phone = TrimmedString(validate=E164, metadata={"example": "+14155550123"})
    preferredTime = UTCDateTime(metadata={"description": "When to be contacted; future."})
    shortlistId = fields.String(validate=TOKEN,
                                metadata={"description": "A shortlist to discuss."})

    @validates_schema
    def contact_is_reachable(self, data, **kwargs):
        """Require a phone for phone contact and a future preferred time."""
        if data.get("preferredContact") == "phone" and not data.get("phone"):
            raise ValidationError("Give a phone number to be contacted by phone.", "phone")
        when = data.get("preferredTime")
        if when is not None and when <= now():
            raise ValidationError("Must be in the future.", "preferredTime")


class StylistTicketSchema(Schema):
    """A ticket as its creator sees it."""

    ticketNumber = fields.String(metadata={"example": "ST-7KQ2M9XD4P"})
    status = fields.String(metadata={"example": "open"})
    topic = fields.String()
    preferredContact = fields.String()
    preferredTime = UTCDateTime(allow_none=True)
    shortlistId = fields.String(allow_none=True)
    createdAt = UTCDateTime()
    conversationId = fields.String(metadata={
        "description": "The request's conversation with the store's team (API.md 27)."})
    token = fields.String(metadata={
        "description": "Reads and continues the conversation (GET /conversations/<id> with "
                       "Authorization: Bearer)."})
