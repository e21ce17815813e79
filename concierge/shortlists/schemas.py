"""Shortlist request and answer."""

from marshmallow import Schema, fields, validate

from ..products.schemas import SKU, ProductSchema
from ..schemas import ProblemSchema, RequestSchema, TrimmedString, UTCDateTime

MAX_SKUS = 50


class ShortlistInSchema(RequestSchema):
    """POST and PUT /shortlists body."""

    openapi_rules = {"skus": "every sku is in the catalogue; the 422 lists the others "
                             "in `unknownSkus`"}

    skus = fields.List(TrimmedString(validate=SKU), required=True,
                       validate=validate.Length(max=MAX_SKUS), metadata={
                           "description": "0-50 skus; duplicates dropped, order kept; an "
                                          "unknown sku answers 422 naming it.",
                           "example": ["AUR-DR-0001", "AUR-KN-0006"]})


class ShortlistSchema(Schema):
    """A saved shortlist with its products."""

    shortlistId = fields.String(metadata={"description": "Unguessable, 128 random bits."})
    items = fields.List(fields.Nested(ProductSchema))
    createdAt = UTCDateTime()
    updatedAt = UTCDateTime()


class UnknownSkusProblemSchema(ProblemSchema):
    """422 validation_error of a shortlist naming skus the catalogue does not have."""

    unknownSkus = fields.List(fields.String(), metadata={
        "description": "The skus no product has, as sent (duplicates dropped)."})
