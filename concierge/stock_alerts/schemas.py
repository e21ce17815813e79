"""Stock alert request and answer."""

from marshmallow import Schema, fields, post_load, validate

from ..i18n import LOCALES
from ..products.schemas import SKU
from ..schemas import Email, RequestSchema, TrimmedString, UTCDateTime

STATUSES = ("waiting", "sent", "cancelled")


class StockAlertRequestSchema(RequestSchema):
    """POST /stock-alerts body: who to tell, about which variant, in which language."""

    openapi_rules = {"sku": "a variant's sku, or the own sku of a product without variants: "
                            "the own sku of a product with variants is refused (422)"}

    email = Email(required=True, metadata={"example": "avery.stone@example.com"})
    sku = TrimmedString(required=True, validate=SKU, metadata={
        "description": "A sold-out variant's sku (or a plain product's own sku).",
        "example": "AUR-DR-0001-M"})
    locale = fields.String(validate=validate.OneOf(LOCALES), metadata={
        "description": "The email's language (default: the request's).", "example": "fr"})

    @post_load
    def upper_sku(self, data, **kwargs):
        """Store skus as the catalogue spells them."""
        data["sku"] = data["sku"].upper()
        return data


class StockAlertSchema(Schema):
    """A back-in-stock alert (its email is never shown)."""

    alertId = fields.String(metadata={"example": "hT3c0bWm9kq1R2s8xYz4Qw"})
    sku = fields.String(metadata={"example": "AUR-DR-0001-M"})
    productSku = fields.String(metadata={"example": "AUR-DR-0001"})
    status = fields.String(validate=validate.OneOf(STATUSES), metadata={"example": "waiting"})
    createdAt = UTCDateTime()
    sentAt = UTCDateTime(allow_none=True, metadata={
        "description": "When its email was queued (status sent)."})
    cancelledAt = UTCDateTime(allow_none=True)
