"""Fields and schemas shared by every feature."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from marshmallow import INCLUDE, Schema, ValidationError, fields, pre_load, validate

from . import addresses

INTENTS = ("products", "order_tracking", "returns", "capsules", "shortlist", "stylist",
           "inspiration", "order_updates", "feedback")

E164 = validate.Regexp(r"^\+[1-9]\d{6,14}$",
                       error="Must be an E.164 phone number such as +14155550123.")


# JSON allows lone surrogates ("\ud800") but UTF-8, BSON and hashing do not.
_SURROGATE = re.compile("[\ud800-\udfff]")
# C0 and C1 controls (NUL included) hide text from staff and break exports;
# tab, line feed and carriage return belong in messages.
CONTROLS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # as a regex class, for OpenAPI too
_CONTROL = re.compile(f"[{CONTROLS}]")


def _text_messages(value):
    """Return marshmallow messages for unstorable or hidden characters in a value, else None."""
    if isinstance(value, str):
        if _SURROGATE.search(value):
            return ["Contains invalid Unicode (a lone surrogate)."]
        if _CONTROL.search(value):
            return ["Must not contain control characters."]
        return None
    if isinstance(value, list):
        found = {i: m for i, item in enumerate(value) if (m := _text_messages(item))}
    elif isinstance(value, dict):
        found = {}
        for key, item in value.items():
            if messages := (_text_messages(key) if isinstance(key, str) else None):
                found[ascii(key)[1:-1]] = messages  # the key itself may not be encodable
            elif messages := _text_messages(item):
                found[key] = messages
    else:
        return None
    return found or None


class RequestSchema(Schema):
    """The base of every request schema: text must be storable and free of control characters.

    Checked on the raw input before any field, at every depth (the JSON body's
    depth is bounded by api.json_body). A field that loads its items on their
    own (``loads_items_alone``) is left to its items' schema.
    """

    @pre_load
    def storable_text(self, data, **kwargs):
        """Refuse lone surrogates and control characters, naming each field."""
        if not isinstance(data, dict):
            return data
        errors = {}
        for key, value in data.items():
            field = self.fields.get(key)
            if any(getattr(f, "loads_items_alone", False)
                   for f in (field, getattr(field, "inner", None))):
                continue
            if messages := _text_messages({key: value}):
                errors.update(messages)
        if errors:
            raise ValidationError(errors)
        return data


def iso_z(value: datetime) -> str:
    """Format a datetime as ISO 8601 UTC with a Z and milliseconds."""
    offset = value.utcoffset()  # None when naive: read as UTC
    if offset:
        value -= offset
    # isoformat, not strftime: %Y does not pad years before 1000 ("93-08-31").
    return value.replace(tzinfo=None).isoformat(timespec="milliseconds") + "Z"


class UTCDateTime(fields.DateTime):
    """An ISO 8601 UTC timestamp with a Z; naive input is read as UTC."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else iso_z(value)

    def _deserialize(self, value, attr, data, **kwargs):
        parsed = super()._deserialize(value, attr, data, **kwargs)
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


# What str.strip() removes that a request may hold (the other spaces are CONTROLS),
# as a regex class: JSON Schema, Python and Rust read it alike.
SPACES = r"\t\n\r\x20\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"


# At most 2,048 characters, none a space or a control (the same class for Python and
# the OpenAPI document, which repeats the regex).
_URL_CHAR = f"[^{SPACES}{CONTROLS}]"
# A path's second character is neither / nor \: browsers read //host and /\host as
# another site (protocol-relative), and the widget opens these links in the top window.
_PATH_START = f"[^/\\\\{SPACES}{CONTROLS}]"
LINK = validate.Regexp(f"^(?:http://{_URL_CHAR}{{1,2041}}|https://{_URL_CHAR}{{1,2040}}"
                       f"|/(?:{_PATH_START}{_URL_CHAR}{{0,2046}})?)$",
                       error="Must be an http(s) URL or a path starting with one /, "
                             "at most 2048 characters.")


class TrimmedString(fields.String):
    """A string with surrounding whitespace removed; blank counts as missing."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if not text and self.required:
            raise ValidationError("Must not be blank.")
        return text

    def json_schema(self, ret: dict) -> dict:
        """Correct the OpenAPI property: lengths and regexes apply to the trimmed text."""
        ret.pop("minLength", None)
        ret.pop("maxLength", None)
        return {"pattern": self.json_pattern()}

    def json_pattern(self) -> str:
        """Return the pattern of exactly what this field accepts, surrounding spaces included."""
        space, text, anything = f"[{SPACES}]*", f"[^{SPACES}{CONTROLS}]", f"[^{CONTROLS}]"
        regexps = [v for v in self.validators if isinstance(v, validate.Regexp)]
        if regexps:
            if len(self.validators) > 1:  # one pattern cannot state both
                raise ValueError(f"{self.name}: state the lengths in the regex, alone")
            return f"^{space}(?:{regexps[0].regex.pattern.lstrip('^').rstrip('$')}){space}$"
        low, high = 1 if self.required else 0, None
        for validator in self.validators:
            if isinstance(validator, validate.Length):
                low = max(low, validator.min or 0)
                high = validator.max if high is None else min(high, validator.max or high)
        if high == 1:
            core = text
        elif low <= 1:
            core = f"{text}(?:{anything}{{0,{'' if high is None else high - 2}}}{text})?"
        else:
            core = f"{text}{anything}{{{low - 2},{'' if high is None else high - 2}}}{text}"
        return f"^{space}{core}{space}$" if low else f"^{space}(?:{core})?{space}$"


class Email(fields.Email):
    """An email, trimmed, checked strictly (concierge.addresses) and stored as it is sent."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # addresses.normalise replaces marshmallow's looser check (it passes encoded words).
        self.validators = [v for v in self.validators if not isinstance(v, validate.Email)]

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        try:
            return addresses.normalise(text)
        except addresses.AddressRefused as error:
            raise ValidationError(f"Not a valid email address. {error}") from None


class StrictInteger(fields.Integer):
    """An integer that refuses 4.0, "4" and true."""

    def __init__(self, **kwargs):
        super().__init__(strict=True, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class StrictBoolean(fields.Boolean):
    """true or false, refusing 1, 0 and "true"."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class MoneySchema(Schema):
    """Money in integer minor units."""

    amount = fields.Integer(required=True, metadata={"example": 12900})
    currency = fields.String(required=True, metadata={"example": "USD"})


def intent_field(**kwargs) -> fields.String:
    """Return a field accepting one of the nine intent ids."""
    return fields.String(validate=validate.OneOf(INTENTS), **kwargs)


class ProblemSchema(Schema):
    """RFC 9457 problem details, as every error answers; a code may add members."""

    class Meta:
        # RFC 9457 lets a problem type carry extension members (duplicate_hold's `hold`,
        # the shortlist's `unknownSkus`): the document must not forbid them.
        unknown = INCLUDE

    type = fields.String(metadata={"example": "about:blank"})
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    code = fields.String(required=True, metadata={"example": "validation_error"})
    detail = fields.String()
    requestId = fields.String(required=True)
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()),
                         metadata={"description": "Per-field messages (422 only)."})


def declared(schema: type[Schema] | Schema, attribute: str) -> dict:
    """Merge a schema's `openapi_keywords` or `openapi_rules` over those it inherits.

    `openapi_keywords` are JSON Schema keywords for rules across fields (anyOf,
    oneOf), added to the schema's component. `openapi_rules` name, per field, a
    rule JSON Schema cannot state (it depends on the clock or the stored data),
    listed in the operation's `x-rules` and description.
    """
    cls = schema if isinstance(schema, type) else type(schema)
    merged: dict = {}
    for klass in reversed(cls.__mro__):
        merged.update(vars(klass).get(attribute) or {})
    return merged
