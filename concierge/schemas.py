"""Fields and schemas shared by every feature."""

from __future__ import annotations

from datetime import UTC, datetime

from marshmallow import Schema, ValidationError, fields, validate

INTENTS = ("products", "order_tracking", "returns", "capsules", "shortlist", "stylist",
           "inspiration", "order_updates", "feedback")

E164 = validate.Regexp(r"^\+[1-9]\d{6,14}$",
                       error="Must be an E.164 phone number such as +14155550123.")


def iso_z(value: datetime) -> str:
    """Format a datetime as ISO 8601 UTC with a Z and milliseconds."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


class UTCDateTime(fields.DateTime):
    """An ISO 8601 UTC timestamp with a Z; naive input is read as UTC."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else iso_z(value)

    def _deserialize(self, value, attr, data, **kwargs):
        parsed = super()._deserialize(value, attr, data, **kwargs)
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


class TrimmedString(fields.String):
    """A string with surrounding whitespace removed; blank counts as missing."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if not text and self.required:
            raise ValidationError("Must not be blank.")
        return text


class Email(fields.Email):
    """An email, trimmed and lowercased."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            value = value.strip().lower()
        return super()._deserialize(value, attr, data, **kwargs)


class StrictInteger(fields.Integer):
    """An integer that refuses 4.0, "4" and true."""

    def __init__(self, **kwargs):
        super().__init__(strict=True, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class MoneySchema(Schema):
    """Money in integer minor units."""

    amount = fields.Integer(required=True, metadata={"example": 12900})
    currency = fields.String(required=True, metadata={"example": "USD"})


def intent_field(**kwargs) -> fields.String:
    """Return a field accepting one of the nine intent ids."""
    return fields.String(validate=validate.OneOf(INTENTS), **kwargs)
