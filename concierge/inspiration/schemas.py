"""Inspiration upload form, answers and moderation bodies."""

from marshmallow import Schema, fields, validate

from ..schemas import RequestSchema, TrimmedString, UTCDateTime

STATUSES = ("pending_review", "approved", "rejected")
DECISIONS = ("approved", "rejected")


class UploadFormSchema(RequestSchema):
    """The text parts of the multipart upload (the file part is `image`)."""

    caption = TrimmedString(load_default="", validate=validate.Length(max=280))
    consent = fields.String(required=True, validate=validate.Equal(
        "true", error="Must be true: the shopper agrees to share the picture."))


UPLOAD_MULTIPART = {
    "schema": {
        "type": "object",
        "required": ["image", "consent"],
        "additionalProperties": False,
        "properties": {
            "image": {"type": "string", "format": "binary",
                      "description": "JPEG, PNG or WebP (recognised by content), at most "
                                     "5 MiB and 40 megapixels; re-encoded without metadata."},
            "caption": {"type": "string",
                        "pattern": UploadFormSchema().fields["caption"].json_pattern()},
            "consent": {"type": "string", "enum": ["true"]},
        },
    },
    # The formats accepted, by content: any other file answers 415.
    "encoding": {"image": {"contentType": "image/jpeg, image/png, image/webp"}},
}


class UploadSchema(Schema):
    """An accepted upload, awaiting moderation."""

    uploadId = fields.String()
    moderationStatus = fields.String(metadata={"example": "pending_review"})
    scanStatus = fields.String(metadata={
        "description": "clean (clamd scanned it: OK) or not_configured (no scanner)"})
    width = fields.Integer()
    height = fields.Integer()
    contentType = fields.String(metadata={"example": "image/jpeg"})
    bytes = fields.Integer(metadata={"description": "Size of the re-encoded image"})
    caption = fields.String()
    createdAt = UTCDateTime()


class ModerationItemSchema(UploadSchema):
    """An upload as a moderator sees it."""

    purgeAt = UTCDateTime(metadata={"description": "When it is deleted (retention)"})
    decidedAt = UTCDateTime(allow_none=True)
    decisionNote = fields.String(allow_none=True)
    imageUrl = fields.String(metadata={"description": "GET it with the admin token"})


class ModerationListSchema(Schema):
    """A moderation queue page."""

    items = fields.List(fields.Nested(ModerationItemSchema))
    count = fields.Integer()


class ModerationQuerySchema(RequestSchema):
    """Which uploads to list."""

    status = fields.String(load_default="pending_review", validate=validate.OneOf(STATUSES))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class DecisionSchema(RequestSchema):
    """A moderator's decision."""

    decision = fields.String(required=True, validate=validate.OneOf(DECISIONS))
    note = TrimmedString(validate=validate.Length(max=500))
