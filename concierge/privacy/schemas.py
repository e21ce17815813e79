"""A privacy request (one email) and its export and erasure answers."""

from marshmallow import Schema, fields, validate

from ..schemas import Email, RequestSchema, UTCDateTime
from .registry import HOLDINGS

_NAMES = ", ".join(holding.collection for holding in HOLDINGS)


class ShopperSchema(RequestSchema):
    """Whose data: an email, compared trimmed and lowercased."""

    email = Email(required=True, validate=validate.Length(max=254),
                  metadata={"example": "avery.stone@example.com"})


class ExportSchema(Schema):
    """Every stored document holding the shopper's data, by collection."""

    email = fields.String(metadata={"description": "The email, normalised."})
    generatedAt = UTCDateTime()
    collections = fields.Dict(
        keys=fields.String(), values=fields.List(fields.Dict()),
        metadata={"description": f"One list per collection that can hold a shopper's data "
                                 f"({_NAMES}), empty when it holds none of hers. Dates are "
                                 "ISO 8601 UTC strings; image chunks' bytes are base64."})


class ErasedSchema(Schema):
    """What an erasure removed."""

    email = fields.String(metadata={"description": "The email, normalised."})
    erased = fields.Dict(
        keys=fields.String(), values=fields.Integer(),
        metadata={"description": f"Documents erased per collection ({_NAMES}); returns are "
                                 "kept for the store's accounts without her details and "
                                 "counted here. 0 everywhere for an email nobody used, or "
                                 "erased before."})
