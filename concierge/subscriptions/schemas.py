"""Order-update subscription request and answer."""

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from .. import addresses
from ..orders.schemas import OrderFactorsSchema
from ..schemas import E164, TrimmedString, UTCDateTime

CHANNELS = ("email", "sms")
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
        if channel == "email":
            return  # normalise checks it: the one address rule (concierge.addresses)
        try:
            _PHONE(destination)
        except ValidationError as error:
            raise ValidationError(error.messages, "destination") from None

    @post_load
    def normalise(self, data, **kwargs):
        """Store an email as every email field does: checked strictly, lower case."""
        if data["channel"] == "email":
            try:
                data["destination"] = addresses.normalise(data["destination"])
            except addresses.AddressRefused as error:
                raise ValidationError(f"Must be an email address for the email channel: "
                                      f"{error}", "destination") from None
        return data


class SubscriptionSchema(Schema):
    """A subscription as its holder sees it (the destination is not echoed)."""

    subscriptionId = fields.String(metadata={
        "description": "Only in the 201 answer that created it: it cancels the subscription."})
    orderNumber = fields.String(metadata={"example": "GG-11982"})
    channel = fields.String(metadata={"example": "email"})
    status = fields.String(metadata={"example": "active",
                                     "description": "active, pending_confirmation or "
                                                    "cancelled"})
    createdAt = UTCDateTime()
    updatedAt = UTCDateTime()
    cancelledAt = UTCDateTime(allow_none=True)
