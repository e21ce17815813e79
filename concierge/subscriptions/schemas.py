"""Order-update subscription request and answer."""

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from ..orders.schemas import OrderFactorsSchema
from ..schemas import E164, TrimmedString, UTCDateTime

CHANNELS = ("email", "sms")
_EMAIL = validate.Email(error="Must be an email address for the email channel.")
_PHONE = validate.Regexp(E164.regex, error="Must be an E.164 phone number such as "
                                           "+14155550123 for the sms channel.")


class SubscriptionInSchema(OrderFactorsSchema):
    """An order (number + email or postal code), a channel and where to send updates."""

    openapi_keywords = {"oneOf": [
        {"properties": {"channel": {"enum": ["email"]}, "destination": {"format": "email"}}},
        {"properties": {"channel": {"enum": ["sms"]},
                        "destination": {"pattern": E164.regex.pattern}}},
    ]}

    channel = fields.String(required=True, validate=validate.OneOf(CHANNELS))
    destination = TrimmedString(required=True, validate=validate.Length(max=254),
                                metadata={"example": "avery.stone@example.com",
                                          "description": "An email (email) or an E.164 "
                                                         "phone number (sms)."})

    @validates_schema
    def destination_fits_channel(self, data, **kwargs):
        """Require an email for email updates and an E.164 number for sms."""
        destination, channel = data.get("destination"), data.get("channel")
        if not destination or channel not in CHANNELS:
            return
        try:
            (_EMAIL if channel == "email" else _PHONE)(destination)
        except ValidationError as error:
            raise ValidationError(error.messages, "destination") from None

    @post_load
    def normalise(self, data, **kwargs):
        """Compare emails case-insensitively, as everywhere."""
        if data["channel"] == "email":
            data["destination"] = data["destination"].lower()
        return data


class SubscriptionSchema(Schema):
    """A subscription as its holder sees it (the destination is not echoed)."""

    subscriptionId = fields.String()
    orderNumber = fields.String(metadata={"example": "GG-11982"})
    channel = fields.String(metadata={"example": "email"})
    status = fields.String(metadata={"example": "active",
                                     "description": "active or cancelled"})
    createdAt = UTCDateTime()
    updatedAt = UTCDateTime()
    cancelledAt = UTCDateTime(allow_none=True)
