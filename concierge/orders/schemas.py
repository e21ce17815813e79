"""Order lookup request and answer."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..schemas import Email, MoneySchema, RequestSchema, TrimmedString, UTCDateTime


class OrderFactorsSchema(RequestSchema):
    """An order number with one secondary factor: email or postal code."""

    # Both may be given (both must then match); neither is refused.
    openapi_keywords = {"anyOf": [{"required": ["email"]}, {"required": ["postalCode"]}]}

    orderNumber = TrimmedString(required=True, validate=validate.Length(min=3, max=32),
                                metadata={"example": "GG-11982"})
    email = Email(metadata={"example": "avery.stone@example.com"})
    postalCode = TrimmedString(validate=validate.Length(min=3, max=12),
                               metadata={"example": "10001"})

    @validates_schema
    def one_factor(self, data, **kwargs):
        """Require the email or the postal code."""
        if not data.get("email") and not data.get("postalCode"):
            raise ValidationError("Give the order's email or its postal code.", "email")


class OrderItemSchema(Schema):
    """A line of an order."""

    sku = fields.String()
    name = fields.String()
    quantity = fields.Integer()
    price = fields.Nested(MoneySchema)
    returnable = fields.Integer(metadata={
        "description": "How many can still be returned: bought, minus earlier returns of "
                       "the sku (0 for items that cannot be returned)."})


class TimelineEventSchema(Schema):
    """One step of the order's journey."""

    status = fields.String()
    at = UTCDateTime()
    description = fields.String()
    location = fields.String(allow_none=True)


class ReturnEligibilitySchema(Schema):
    """Whether the order can be returned now, so a form is offered only when it can."""

    eligible = fields.Boolean()
    reason = fields.String(allow_none=True, metadata={
        "description": "Why not: not_delivered, not_returnable (digital goods only) or "
                       "window_closed; null when eligible."})
    until = UTCDateTime(allow_none=True, metadata={
        "description": "When the return window closes (deliveredAt + the window)."})


class OrderSchema(Schema):
    """An order as the shopper may see it (no email or address)."""

    orderNumber = fields.String()
    status = fields.String(metadata={"example": "shipped"})
    placedAt = UTCDateTime()
    estimatedDelivery = UTCDateTime(allow_none=True)
    deliveredAt = UTCDateTime(allow_none=True)
    carrier = fields.String(allow_none=True)
    trackingNumber = fields.String(allow_none=True)
    trackingUrl = fields.String(allow_none=True, metadata={
        "description": "The merchant's tracking link, else the carrier's public page."})
    items = fields.List(fields.Nested(OrderItemSchema))
    timeline = fields.List(fields.Nested(TimelineEventSchema))
    returns = fields.Nested(ReturnEligibilitySchema)
