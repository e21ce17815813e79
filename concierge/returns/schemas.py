"""Return (RMA) request and answer."""

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from ..orders.schemas import OrderFactorsSchema
from ..products.schemas import SKU
from ..schemas import (
    MoneySchema,
    ProblemSchema,
    RequestSchema,
    StrictInteger,
    TrimmedString,
    UTCDateTime,
)

REASONS = ("too_small", "too_large", "not_as_described", "damaged", "changed_mind", "other")
RESOLUTIONS = ("refund", "exchange", "store_credit")


class ReturnItemInSchema(RequestSchema):
    """One line to return."""

    sku = TrimmedString(required=True, validate=SKU, metadata={"example": "AUR-TP-0001"})
    quantity = StrictInteger(required=True, validate=validate.Range(min=1, max=99),
                             metadata={"example": 1})
    reason = fields.String(required=True, validate=validate.OneOf(REASONS),
                           metadata={"example": "too_small"})
    resolution = fields.String(load_default="refund", validate=validate.OneOf(RESOLUTIONS),
                               metadata={"description": "What the shopper gets back.",
                                         "example": "exchange"})
    exchangeSku = TrimmedString(validate=SKU, metadata={
        "description": "With resolution exchange only: another variant of the same product.",
        "example": "AUR-DR-0001-M"})

    openapi_rules = {"exchangeSku": "required with resolution exchange, and only then"}

    @validates_schema
    def exchange_names_a_variant(self, data, **kwargs):
        """Ask for exchangeSku with an exchange, and refuse it with anything else."""
        if data.get("resolution") == "exchange" and not data.get("exchangeSku"):
            raise ValidationError({"exchangeSku": [
                "Name the variant to exchange for (another size or colour of this item)."]})
        if data.get("exchangeSku") and data.get("resolution") != "exchange":
            raise ValidationError({"exchangeSku": ["Only with resolution exchange."]})

    @post_load
    def upper_sku(self, data, **kwargs):
        """Store skus as the catalogue spells them."""
        data["sku"] = data["sku"].upper()
        if data.get("exchangeSku"):
            data["exchangeSku"] = data["exchangeSku"].upper()
        return data


class ReturnRequestSchema(OrderFactorsSchema):
    """POST /returns body: the order, its factor and the lines to return.

    Lines naming the same sku are merged (quantities added); they must then
    give the same reason.
    """

    openapi_rules = {"items": "lines naming one sku give the same reason and resolution"}

    items = fields.List(fields.Nested(ReturnItemInSchema), required=True,
                        validate=validate.Length(min=1, max=20))
    comment = TrimmedString(validate=validate.Length(max=1000))

    @validates_schema
    def one_reason_per_sku(self, data, **kwargs):
        """Refuse two lines of one sku with different reasons (which one would count?)."""
        first: dict[str, tuple[int, tuple]] = {}
        errors = {}
        for index, item in enumerate(data.get("items") or []):
            wanted = (item["reason"], item.get("resolution"), item.get("exchangeSku"))
            seen = first.setdefault(item["sku"], (index, wanted))
            if seen[1][0] != wanted[0]:
                errors[index] = {"reason": [
                    f"Lines {seen[0]} and {index} return the same sku for different "
                    "reasons; send one line per sku."]}
            elif seen[1] != wanted:
                errors[index] = {"resolution": [
                    f"Lines {seen[0]} and {index} return the same sku for different "
                    "resolutions; send one line per sku."]}
        if errors:
            raise ValidationError({"items": errors})


class ReturnItemSchema(Schema):
    """A returned line."""

    sku = fields.String()
    quantity = fields.Integer()
    reason = fields.String()
    resolution = fields.String(metadata={"example": "refund"})
    exchangeSku = fields.String(allow_none=True, metadata={
        "description": "The variant reserved for the exchange (null unless exchange)."})
    creditAmount = fields.Nested(MoneySchema, allow_none=True, metadata={
        "description": "Store credit: price x quantity x (100 + bonus %) / 100, rounded "
                       "down (null unless store_credit)."})


class ReturnSchema(Schema):
    """A return authorisation."""

    rmaNumber = fields.String(metadata={"example": "RMA-7KQ2M9XD4P3JTW6B"})
    orderNumber = fields.String(metadata={"example": "GG-10457"})
    status = fields.String(metadata={"example": "requested"})
    items = fields.List(fields.Nested(ReturnItemSchema))
    comment = fields.String()
    createdAt = UTCDateTime()


class QuantityProblemSchema(Schema):
    """Why a line cannot be returned (in 422 return_quantity_exceeded)."""

    sku = fields.String()
    requested = fields.Integer()
    returnable = fields.Integer(metadata={"description": "0 when the sku is not on the order."})


class QuantityExceededProblemSchema(ProblemSchema):
    """422 return_quantity_exceeded: the problem and each line that asks too much."""

    items = fields.List(fields.Nested(QuantityProblemSchema), metadata={
        "description": "Only with return_quantity_exceeded (absent on a concurrent return)."})


class ExchangeUnavailableProblemSchema(ProblemSchema):
    """409 exchange_unavailable: the variant asked for is not there; what is."""

    sku = fields.String(metadata={"description": "The exchange variant asked for."})
    alternatives = fields.List(fields.String(), metadata={
        "description": "The product's variant skus available now (may be empty)."})


RMA_PATTERN = r"^RMA-[A-Z2-7]{16}$"


class ReturnLabelBodySchema(RequestSchema):
    """PUT /merchant/returns/<rmaNumber>/label: the store's prepaid label for the shopper."""

    labelUrl = TrimmedString(required=True, validate=validate.Regexp(
        r"^https?://[!-~]{1,2040}$", error="Must be an http(s) URL, at most 2048 characters."),
        metadata={"example": "https://labels.example.com/RMA-7KQ2M9XD4P3JTW6B.pdf"})


class ReturnLabelSchema(Schema):
    """A return with its label."""

    rmaNumber = fields.String(metadata={"example": "RMA-7KQ2M9XD4P3JTW6B"})
    orderNumber = fields.String(metadata={"example": "GG-10457"})
    status = fields.String(metadata={"example": "requested"})
    labelUrl = fields.String()
    labelAt = UTCDateTime()
