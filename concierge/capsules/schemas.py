"""Capsules, hold requests and holds."""

from marshmallow import Schema, fields, validate

from ..schemas import Email, ProblemSchema, RequestSchema, TrimmedString, UTCDateTime

HOLD_STATUSES = ("active", "expired", "released")


class CapsuleSchema(Schema):
    """A capsule collection and how many holds it can still take."""

    capsuleId = fields.String(metadata={"example": "capsule-weekend-edit"})
    name = fields.String()
    description = fields.String()
    skus = fields.List(fields.String())
    imageUrl = fields.String()
    capacity = fields.Integer(metadata={"description": "Holds it can carry at once."})
    available = fields.Integer(metadata={
        "description": "Places left now: capacity minus holds active and not yet expired."})
    holdHours = fields.Integer(metadata={"description": "How long a hold lasts."})
    sizes = fields.List(fields.String(), metadata={
        "description": "The sizes the capsule's pieces come in, smallest first: a hold's "
                       "`size` must be one of them."})


class CapsuleListSchema(Schema):
    """Every capsule."""

    items = fields.List(fields.Nested(CapsuleSchema))


class HoldRequestSchema(RequestSchema):
    """POST /capsule-holds body."""

    openapi_rules = {"size": "one of the sizes the capsule's pieces come in (its skus' "
                             "`sizes`, GET /products/{sku})"}

    capsuleId = TrimmedString(required=True, validate=validate.Regexp(
        r"^[a-z0-9-]{1,64}$", error="Must be a capsule id such as capsule-weekend-edit."),
        metadata={"example": "capsule-weekend-edit"})
    email = Email(required=True, metadata={"example": "avery.stone@example.com"})
    size = TrimmedString(validate=validate.Length(min=1, max=20), metadata={
        "description": "A size one of the capsule's pieces comes in.", "example": "M"})


class HoldSchema(Schema):
    """A hold on a capsule place (the shopper's email is never shown)."""

    holdId = fields.String(metadata={"description": "Unguessable, 128 random bits."})
    capsuleId = fields.String(metadata={"example": "capsule-weekend-edit"})
    status = fields.String(metadata={
        "description": "active, expired (read as soon as expiresAt has passed) or released.",
        "enum": list(HOLD_STATUSES)})
    size = fields.String()
    createdAt = UTCDateTime()
    expiresAt = UTCDateTime(metadata={"description": "createdAt + the capsule's holdHours."})
    releasedAt = UTCDateTime()


class ExistingHoldSchema(HoldSchema):
    """A hold shown to whoever names its email: without the holdId that releases it."""

    class Meta:
        exclude = ("holdId",)


class DuplicateHoldProblemSchema(ProblemSchema):
    """409 duplicate_hold: the problem and the email's active hold, without its holdId."""

    hold = fields.Nested(ExistingHoldSchema, metadata={
        "description": "Only with duplicate_hold: the hold this email already has."})
