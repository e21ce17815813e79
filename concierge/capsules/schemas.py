"""Capsules, hold requests and holds."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..products.schemas import SKU
from ..schemas import (
    LINK,
    Email,
    ProblemSchema,
    RequestSchema,
    StrictInteger,
    TrimmedString,
    UTCDateTime,
)

HOLD_STATUSES = ("active", "expired", "released")
CAPSULE_ID_PATTERN = r"^[a-z0-9-]{1,64}$"


class CapsuleSchema(Schema):
    """A capsule collection and how many holds it can still take."""

    capsuleId = fields.String(metadata={"example": "capsule-weekend-edit"})
    name = fields.String()
    description = fields.String()
    skus = fields.List(fields.String())
    imageUrl = fields.String(allow_none=True)  # a capsule the store gave no image
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
        CAPSULE_ID_PATTERN, error="Must be a capsule id such as capsule-weekend-edit."),
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


CAPSULE_ID = validate.Regexp(CAPSULE_ID_PATTERN,
                             error="Must be 1-64 characters of a-z 0-9 -, such as "
                                   "capsule-weekend-edit.")
MAX_CAPSULE_SKUS = 100
MAX_CAPACITY = 10_000
MAX_HOLD_HOURS = 720  # 30 days


class CapsuleBodySchema(RequestSchema):
    """PUT /merchant/capsules/<capsuleId>: the whole capsule (replaces what is stored)."""

    openapi_rules = {"skus": "each names a product or variant of the catalogue (422 "
                             "naming `skus.N`)",
                     "endsAt": "later than startsAt"}

    name = TrimmedString(required=True, validate=validate.Length(1, 120),
                         metadata={"example": "The Weekend Edit"})
    description = TrimmedString(required=True, validate=validate.Length(1, 2000))
    skus = fields.List(TrimmedString(required=True, validate=SKU), required=True,
                       validate=validate.Length(1, MAX_CAPSULE_SKUS),
                       metadata={"example": ["AUR-DR-0001", "AUR-KN-0006"]})
    capacity = StrictInteger(required=True, validate=validate.Range(1, MAX_CAPACITY),
                             metadata={"description": "Holds it can carry at once."})
    holdHours = StrictInteger(required=True, validate=validate.Range(1, MAX_HOLD_HOURS),
                              metadata={"description": "How long a new hold lasts; "
                                                       "holds placed before keep theirs."})
    imageUrl = TrimmedString(allow_none=True, validate=LINK)
    startsAt = UTCDateTime(allow_none=True, metadata={
        "description": "Shown to shoppers from then on (default: at once)."})
    endsAt = UTCDateTime(allow_none=True, metadata={
        "description": "Shown and held until then (default: until retired)."})

    @validates_schema(skip_on_field_errors=True)
    def window(self, data, **kwargs):
        """Require the end after the start, and each sku once."""
        if data.get("startsAt") and data.get("endsAt") and data["endsAt"] <= data["startsAt"]:
            raise ValidationError({"endsAt": ["Must be later than startsAt."]})
        seen: dict[str, int] = {}
        for index, sku in enumerate(data["skus"]):
            first = seen.setdefault(sku.upper(), index)
            if first != index:
                raise ValidationError({f"skus.{index}": [f"Repeats skus.{first}."]})


class MerchantCapsuleSchema(Schema):
    """A capsule as the merchant API answers it, with its holds now."""

    capsuleId = fields.String(metadata={"example": "capsule-weekend-edit"})
    name = fields.String()
    description = fields.String()
    skus = fields.List(fields.String())
    capacity = fields.Integer()
    holdHours = fields.Integer()
    imageUrl = fields.String(allow_none=True)
    startsAt = UTCDateTime(allow_none=True)
    endsAt = UTCDateTime(allow_none=True)
    retired = fields.Boolean(metadata={
        "description": "Retired: no longer shown or held; its active holds stay valid "
                       "until they expire."})
    retiredAt = UTCDateTime(allow_none=True)
    activeHolds = fields.Integer(metadata={"description": "Holds active now."})
    createdAt = UTCDateTime()
    updatedAt = UTCDateTime()


class MerchantCapsuleListSchema(Schema):
    """Every capsule, retired ones too."""

    items = fields.List(fields.Nested(MerchantCapsuleSchema))
