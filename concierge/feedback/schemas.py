"""CSAT request and answer."""

from marshmallow import Schema, fields, validate

from ..schemas import RequestSchema, StrictInteger, TrimmedString, UTCDateTime, intent_field

NO_INTENT = "general"  # stored when the answer is not about one intent


class CsatInSchema(RequestSchema):
    """A satisfaction rating, optionally about one intent."""

    rating = StrictInteger(required=True, validate=validate.Range(min=1, max=5),
                           metadata={"example": 4})
    comment = TrimmedString(validate=validate.Length(max=1000))
    intent = intent_field(metadata={
        "description": "An intent id; without one the answer is stored under "
                       f"`{NO_INTENT}` (one general answer per session)."})
    reference = TrimmedString(validate=validate.Length(max=64), metadata={
        "description": "What the answer is about, e.g. an RMA or ticket number."})


class CsatSchema(Schema):
    """The stored answer."""

    csatId = fields.String()
    rating = fields.Integer()
    intent = fields.String()
    agentNotified = fields.Boolean(metadata={
        "description": "True for ratings of 2 or less: an agent is notified."})
    createdAt = UTCDateTime()
    updatedAt = UTCDateTime()
