"""Analytics event batch: the envelope and each event."""

from __future__ import annotations

import math
import re

from marshmallow import Schema, ValidationError, fields, validate

from ..request_ids import SESSION_ID
from ..schemas import RequestSchema, UTCDateTime

MAX_EVENTS = 50
MAX_PROPS = 20
MAX_TEXT = 200
PROP_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
INT64 = (-(2**63), 2**63 - 1)  # what MongoDB can store as an integer


def _scalar_error(value) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return None if INT64[0] <= value <= INT64[1] else "Integer out of range."
    if isinstance(value, float):
        return None if math.isfinite(value) else "Must be a finite number."
    if isinstance(value, str):
        return None if len(value) <= MAX_TEXT else f"Longer than {MAX_TEXT} characters."
    return "Must be a string, number, boolean or null."


class FlatProps(fields.Dict):
    """A flat object of at most 20 scalar values with plain keys."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, dict):
            raise ValidationError("Must be an object.")
        if len(value) > MAX_PROPS:
            raise ValidationError(f"At most {MAX_PROPS} properties.")
        errors = {}
        for key, item in value.items():
            if not PROP_KEY.match(key):
                errors[key] = ["Key must match ^[A-Za-z_][A-Za-z0-9_]{0,63}$."]
            elif (message := _scalar_error(item)) is not None:
                errors[key] = [message]
        if errors:
            raise ValidationError(errors)
        return dict(value)


class EventSchema(RequestSchema):
    """One event the widget reports."""

    name = fields.String(required=True, validate=validate.Regexp(
        r"^aurora_[a-z][a-z0-9_]{2,63}$", error="Must match {regex}."),
        metadata={"example": "aurora_widget_opened"})
    sessionId = fields.String(required=True, validate=validate.Regexp(
        SESSION_ID, error="Must be 16-64 characters of A-Z a-z 0-9 _ -."))
    occurredAt = UTCDateTime(required=True)
    props = FlatProps(load_default=dict, metadata={
        "description": f"Flat object of at most {MAX_PROPS} scalar values (strings of at "
                       f"most {MAX_TEXT} characters, numbers, booleans, null)."})


class EachOnItsOwn(fields.List):
    """A list documented as its items' schema but loaded raw.

    The service validates every item separately, so that one bad event does
    not reject the batch.
    """

    loads_items_alone = True  # RequestSchema leaves its text checks to EventSchema

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, list):
            raise self.make_error("invalid")
        return list(value)

    def json_schema(self, ret: dict) -> dict:
        """Say that any item is taken: one that is not an event is rejected on its own."""
        return {"items": {"anyOf": [ret["items"], {
            "description": "Anything else: listed in `rejected` with its errors, "
                           "the batch's other events stored."}]}}


class EventBatchSchema(RequestSchema):
    """1-50 events; each is validated on its own (see EventSchema)."""

    events = EachOnItsOwn(fields.Nested(EventSchema), required=True,
                          validate=validate.Length(min=1, max=MAX_EVENTS))


class RejectedEventSchema(Schema):
    """An event that was not stored and why."""

    index = fields.Integer()
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))


class EventBatchResultSchema(Schema):
    """How many events were stored, and the rejected ones."""

    accepted = fields.Integer()
    rejected = fields.List(fields.Nested(RejectedEventSchema))
