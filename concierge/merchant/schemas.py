"""Merchant request bodies and answers (section 16)."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..orders.schemas import OrderItemSchema, TimelineEventSchema
from ..products.schemas import SKU
from ..schemas import (
    LINK,
    Email,
    RequestSchema,
    StrictBoolean,
    StrictInteger,
    TrimmedString,
    UTCDateTime,
)
from ..text import fold

STATUSES = ("processing", "shipped", "in_transit", "out_for_delivery", "delivered",
            "cancelled", "returned")
RESULTS = ("created", "updated", "unchanged", "rejected")
MAX_BATCH = 500
MAX_VARIANTS = 100
MAX_STOCK = 1_000_000  # units of one variant
MAX_INVENTORY_BATCH = 1000
DEFAULT_RANK = 100_000
EVENT_ID = validate.Regexp(r"^[A-Za-z0-9._:-]{1,128}$",
                           error="Must be 1-128 characters of A-Z a-z 0-9 . _ : -.")


def _text_list(max_items: int, max_length: int, **kwargs) -> fields.List:
    return fields.List(TrimmedString(required=True, validate=validate.Length(1, max_length)),
                       validate=validate.Length(max=max_items), **kwargs)


class PriceSchema(RequestSchema):
    """Money in integer minor units with an ISO 4217 currency."""

    amount = StrictInteger(required=True, validate=validate.Range(min=0, max=10**9),
                           metadata={"example": 12900})
    currency = fields.String(required=True, validate=validate.Regexp(
        r"^[A-Z]{3}$", error="Must be an ISO 4217 code such as USD."),
        metadata={"example": "USD"})


class VariantBodySchema(RequestSchema):
    """One variant of a product: a size and colour with its own sku and stock."""

    sku = TrimmedString(required=True, validate=SKU, metadata={
        "description": "Unique across every product and variant; stored upper-case.",
        "example": "AUR-DR-0100-BLK-M"})
    size = TrimmedString(allow_none=True, validate=validate.Length(1, 20),
                         metadata={"example": "M"})
    color = TrimmedString(allow_none=True, validate=validate.Length(1, 40), metadata={
        "description": "Stored lowercased, as the product's colours.", "example": "black"})
    stock = StrictInteger(required=True, validate=validate.Range(min=0, max=MAX_STOCK),
                          metadata={"description": "Units on hand; 0 = sold out."})
    price = fields.Nested(PriceSchema, metadata={
        "description": "Default: the product's price."})
    barcode = TrimmedString(allow_none=True, validate=validate.Length(1, 64),
                            metadata={"example": "0012345678905"})


class TranslationSchema(RequestSchema):
    """A product's words in one language of the widget."""

    name = TrimmedString(required=True, validate=validate.Length(1, 200),
                         metadata={"example": "Robe midi en soie"})
    description = fields.String(validate=validate.Length(max=10_000),
                                metadata={"description": "Plain text; may be left out."})


TRANSLATED_LOCALES = ("en", "fr", "de", "es")


class ProductBodySchema(RequestSchema):
    """PUT /merchant/products/<sku>: the whole product (replaces what is stored)."""

    openapi_keywords = {"anyOf": [{"required": ["variants"]},
                                  {"required": ["price", "colors", "sizes", "stock"]}]}
    openapi_rules = {
        "sku": "not already another product's sku or variant sku (422 naming `sku` and "
               "the product that holds it)",
        "variants": "each variant sku differs from every other product's sku and variant "
                    "sku (422 naming `variants.N.sku`); sizes, colors and stock, when sent "
                    "with variants, agree with them",
        "colors": "when sent with variants, exactly the variants' colors (any order)",
        "sizes": "when sent with variants, exactly the variants' sizes (any order)",
        "stock": "when sent with variants, the variants' total"}

    name = TrimmedString(required=True, validate=validate.Length(1, 200),
                         metadata={"example": "Silk Midi Dress"})
    description = fields.String(required=True, validate=validate.Length(max=10_000),
                                metadata={"description": "Plain text; may be empty."})
    category = TrimmedString(required=True, validate=validate.Length(1, 40), metadata={
        "description": "Stored lowercased (the search filter value).", "example": "dresses"})
    price = fields.Nested(PriceSchema, metadata={
        "description": "Required without variants. With variants: the price of those "
                       "without their own; stored as the lowest variant price."})
    colors = _text_list(50, 40, metadata={
        "description": "Stored lowercased. Required without variants; with variants "
                       "derived (their colours, in order) or, when sent, the same colours "
                       "in the order to show.", "example": ["navy", "ivory"]})
    sizes = _text_list(50, 20, metadata={
        "description": "Required without variants; with variants derived (their sizes, "
                       "in order) or, when sent, the same sizes in the order to show.",
        "example": ["S", "M", "L"]})
    stock = StrictInteger(validate=validate.Range(min=0, max=10**9), metadata={
        "description": "Units on hand; 0 = out of stock. Required without variants; with "
                       "variants their sum (when sent, it must be)."})
    variants = fields.List(fields.Nested(VariantBodySchema),
                           validate=validate.Length(1, MAX_VARIANTS), metadata={
                               "description": "1-100 variants, one per size and colour. "
                                              "Without: the product is one variant."})
    tags = _text_list(100, 60, metadata={"example": ["silk", "evening"]})
    imageUrl = TrimmedString(validate=LINK, metadata={
        "description": "Default: the category's placeholder image."})
    url = TrimmedString(validate=LINK, metadata={
        "description": "The product page on the store. Default: the demo page."})
    rank = StrictInteger(validate=validate.Range(min=0, max=10**9), metadata={
        "description": f"Popularity, lower first (relevance ties). Default {DEFAULT_RANK}."})
    translations = fields.Dict(
        keys=fields.String(validate=validate.OneOf(TRANSLATED_LOCALES)),
        values=fields.Nested(TranslationSchema), metadata={
            "description": "The product's name and description in the widget's other "
                           "languages (en, fr, de, es): shown to shoppers of that locale "
                           "(the fields above otherwise) and searched in it.",
            "example": {"fr": {"name": "Robe midi en soie", "description": "…"}}})

    @validates_schema(skip_on_field_errors=True)
    def variants_agree(self, data, **kwargs):
        """Require the plain fields without variants; with them, check they agree."""
        variants = data.get("variants")
        if not variants:
            missing = [f for f in ("price", "colors", "sizes", "stock") if f not in data]
            if missing:
                raise ValidationError({f: ["Missing data for required field (or send "
                                           "variants)."] for f in missing})
            return
        errors = _variant_errors(data, variants)
        if errors:
            raise ValidationError(errors)


def _variant_errors(data: dict, variants: list[dict]) -> dict:
    """Return the per-field messages of variants that do not agree with each other."""
    errors: dict = {}
    seen: dict[str, int] = {}
    currencies = {v["price"]["currency"] for v in variants if v.get("price")}
    if data.get("price"):
        currencies.add(data["price"]["currency"])
    for index, variant in enumerate(variants):
        here = errors.setdefault(f"variants.{index}", {})
        first = seen.setdefault(variant["sku"].upper(), index)
        if first != index:
            here["sku"] = [f"Repeats variants.{first}.sku."]
        if not variant.get("price") and not data.get("price"):
            here["price"] = ["Missing: the product has no price for it."]
        elif len(currencies) > 1 and variant.get("price"):
            here["price"] = ["Every price of a product must be in one currency."]
    errors = {k: v for k, v in errors.items() if v}
    total = sum(v["stock"] for v in variants)
    if "stock" in data and data["stock"] != total:
        errors["stock"] = [f"Must be the variants' total ({total}), or left out."]
    for name, key in (("sizes", "size"), ("colors", "color")):
        have = _folded(v[key] for v in variants if v.get(key)) if name == "colors" else {
            v[key] for v in variants if v.get(key)}
        sent = data.get(name)
        if sent is not None and (_folded(sent) if name == "colors" else set(sent)) != have:
            errors[name] = [f"Must list exactly the variants' {name} (any order), "
                            "or be left out."]
    return errors


def _folded(values) -> set[str]:
    return {fold(v).strip() for v in values}


class BatchProductSchema(ProductBodySchema):
    """A product of a batch: the PUT body with its sku."""

    sku = TrimmedString(required=True, validate=SKU, metadata={"example": "AUR-DR-0100"})


class EachLoadedLater(fields.Nested):
    """A list element kept as the raw object, so one bad element fails alone.

    Documented as the nested schema; the service loads each element itself.
    """

    loads_items_alone = True  # RequestSchema leaves its text checks to the element's schema

    def __init__(self, *args, **kwargs):
        super().__init__(*args, allow_none=True, **kwargs)  # null: one more bad element

    def _deserialize(self, value, attr, data, **kwargs):
        return value

    def json_schema(self, ret: dict) -> dict:
        """Say that any element is taken: one that does not fit is rejected on its own."""
        element = dict(ret)
        ret.clear()
        return {"anyOf": [element, {"description": "Anything else: a `rejected` result "
                                                   "with its errors, the others saved."}]}


class ProductBatchSchema(RequestSchema):
    """POST /merchant/products/batch."""

    products = fields.List(EachLoadedLater(BatchProductSchema), required=True,
                           validate=validate.Length(1, MAX_BATCH))


class ResultSchema(Schema):
    """What happened to one element of a batch."""

    sku = fields.String(allow_none=True)
    orderNumber = fields.String(allow_none=True)
    status = fields.String(metadata={"enum": list(RESULTS)})
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()),
                         metadata={"description": "Per-field messages (rejected only)."})


class CountsSchema(Schema):
    """How many elements ended in each state."""

    created = fields.Integer()
    updated = fields.Integer()
    unchanged = fields.Integer()
    rejected = fields.Integer()


class BatchResultSchema(Schema):
    """The result of every element, in the order sent."""

    results = fields.List(fields.Nested(ResultSchema))
    counts = fields.Nested(CountsSchema)


class MerchantProductSchema(BatchProductSchema):
    """A stored product as the merchant API answers it."""

    inStock = fields.Boolean()
    archived = fields.Boolean()
    archivedAt = UTCDateTime(allow_none=True)
    createdAt = UTCDateTime()
    updatedAt = UTCDateTime()


class OrderItemBodySchema(RequestSchema):
    """A line of an order."""

    sku = TrimmedString(required=True, validate=SKU, metadata={"example": "AUR-DR-0001"})
    name = TrimmedString(required=True, validate=validate.Length(1, 200))
    quantity = StrictInteger(required=True, validate=validate.Range(min=1, max=10_000))
    price = fields.Nested(PriceSchema, required=True, metadata={"description": "Unit price."})
    returnable = StrictBoolean(load_default=True)


class OrderBodySchema(RequestSchema):
    """PUT /merchant/orders/<orderNumber>: the whole order (the timeline is kept)."""

    email = Email(required=True, metadata={"example": "avery.stone@example.com"})
    postalCode = TrimmedString(allow_none=True, validate=validate.Length(3, 12))
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    placedAt = UTCDateTime(required=True)
    carrier = TrimmedString(allow_none=True, validate=validate.Length(1, 60))
    trackingNumber = TrimmedString(allow_none=True, validate=validate.Length(1, 64))
    trackingUrl = TrimmedString(allow_none=True, validate=LINK)
    estimatedDelivery = UTCDateTime(allow_none=True)
    deliveredAt = UTCDateTime(allow_none=True)
    items = fields.List(fields.Nested(OrderItemBodySchema), required=True,
                        validate=validate.Length(1, 100))


class BatchOrderSchema(OrderBodySchema):
    """An order of a batch: the PUT body with its number."""

    orderNumber = TrimmedString(required=True, validate=validate.Length(3, 32),
                                metadata={"example": "GG-20001"})


class OrderBatchSchema(RequestSchema):
    """POST /merchant/orders/batch."""

    orders = fields.List(EachLoadedLater(BatchOrderSchema), required=True,
                         validate=validate.Length(1, MAX_BATCH))


class MerchantTimelineEventSchema(TimelineEventSchema):
    """A timeline entry with the merchant's event id."""

    eventId = fields.String(allow_none=True)


class MerchantOrderItemSchema(OrderItemSchema):
    """An order line with its returnable flag."""

    returnable = fields.Boolean()


class MerchantOrderSchema(Schema):
    """A stored order as the merchant API answers it."""

    orderNumber = fields.String()
    email = fields.String()
    postalCode = fields.String(allow_none=True)
    status = fields.String()
    placedAt = UTCDateTime()
    carrier = fields.String(allow_none=True)
    trackingNumber = fields.String(allow_none=True)
    trackingUrl = fields.String(allow_none=True)
    estimatedDelivery = UTCDateTime(allow_none=True)
    deliveredAt = UTCDateTime(allow_none=True)
    items = fields.List(fields.Nested(MerchantOrderItemSchema))
    timeline = fields.List(fields.Nested(MerchantTimelineEventSchema))
    createdAt = UTCDateTime()
    updatedAt = UTCDateTime()


class OrderEventBodySchema(RequestSchema):
    """POST /merchant/orders/<orderNumber>/events."""

    eventId = TrimmedString(required=True, validate=EVENT_ID, metadata={
        "description": "Your id for this event; sending it again adds nothing.",
        "example": "evt-7781"})
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    at = UTCDateTime(required=True)
    description = TrimmedString(required=True, validate=validate.Length(1, 500))
    location = TrimmedString(allow_none=True, validate=validate.Length(max=120))


class OrderEventSchema(Schema):
    """An order event as stored, with the order's status after it."""

    orderNumber = fields.String()
    eventId = fields.String()
    status = fields.String()
    at = UTCDateTime()
    description = fields.String()
    location = fields.String(allow_none=True)
    orderStatus = fields.String(metadata={"description": "The order's status now: the "
                                          "status of its latest event by time."})
    receivedAt = UTCDateTime()


class ArchivedSchema(Schema):
    """The answer to an archive."""

    sku = fields.String()
    archived = fields.Boolean()
    archivedAt = UTCDateTime()


class InventoryBodySchema(RequestSchema):
    """PUT /merchant/inventory/<variantSku>."""

    stock = StrictInteger(required=True, validate=validate.Range(min=0, max=MAX_STOCK),
                          metadata={"description": "Units on hand now; 0 = sold out.",
                                    "example": 12})


class InventoryItemSchema(InventoryBodySchema):
    """A stock level of a batch: the variant's sku and its stock."""

    sku = TrimmedString(required=True, validate=SKU, metadata={
        "description": "A variant sku, or the sku of a product without variants.",
        "example": "AUR-DR-0100-BLK-M"})


class InventoryBatchSchema(RequestSchema):
    """POST /merchant/inventory/batch."""

    items = fields.List(EachLoadedLater(InventoryItemSchema), required=True,
                        validate=validate.Length(1, MAX_INVENTORY_BATCH))


class InventorySchema(Schema):
    """A variant's stock after the call, and before it."""

    sku = fields.String(metadata={"example": "AUR-DR-0100-BLK-M"})
    stock = fields.Integer(metadata={"example": 12})
    previous = fields.Integer(metadata={"example": 0})


class InventoryResultSchema(Schema):
    """What happened to one stock level of a batch."""

    sku = fields.String(allow_none=True)
    status = fields.String(metadata={"enum": ["updated", "unchanged", "rejected"]})
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()),
                         metadata={"description": "Per-field messages (rejected only)."})


class InventoryBatchResultSchema(Schema):
    """The result of every stock level, in the order sent."""

    results = fields.List(fields.Nested(InventoryResultSchema))
