"""Product search query and product answers."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..schemas import MoneySchema, TrimmedString

SORTS = ("relevance", "price_asc", "price_desc", "newest")
MAX_PAGE = 1000  # deeper pages cost a long skip and no shopper reads them
SKU = validate.Regexp(r"^[A-Za-z0-9-]{3,40}$", error="Must be a sku such as AUR-DR-0001.")


class ProductQuerySchema(Schema):
    """GET /products query string."""

    openapi_rules = {"minPrice": "at most maxPrice when both are given"}

    q = TrimmedString(validate=validate.Length(max=200), metadata={
        "description": "Free text; every word must match the name, description, category, "
                       "colours or tags (case- and accent-insensitive, plurals folded).",
        "example": "silk dress"})
    category = TrimmedString(validate=validate.Length(min=1, max=40),
                             metadata={"example": "dresses"})
    color = TrimmedString(validate=validate.Length(min=1, max=40),
                          metadata={"example": "navy"})
    size = TrimmedString(validate=validate.Length(min=1, max=20), metadata={
        "description": "Exactly as listed: XS, S, M, L, XL, One Size, 38 ...", "example": "M"})
    minPrice = fields.Integer(validate=validate.Range(min=0),
                              metadata={"description": "Minor units.", "example": 5000})
    maxPrice = fields.Integer(validate=validate.Range(min=0),
                              metadata={"description": "Minor units.", "example": 20000})
    inStock = fields.Boolean(truthy={"true"}, falsy={"false"},
                             metadata={"description": "true or false."})
    sort = fields.String(load_default="relevance", validate=validate.OneOf(SORTS), metadata={
        "description": "relevance (default) orders by popularity rank, with or without q; "
                       "price_asc, price_desc, newest."})
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE))
    pageSize = fields.Integer(load_default=12, validate=validate.Range(min=1, max=50))

    @validates_schema
    def price_range(self, data, **kwargs):
        """Refuse a minimum price above the maximum."""
        low, high = data.get("minPrice"), data.get("maxPrice")
        if low is not None and high is not None and low > high:
            raise ValidationError("Must be less than or equal to maxPrice.", "minPrice")


class ProductSchema(Schema):
    """A product as search results show it."""

    sku = fields.String(metadata={"example": "AUR-DR-0001"})
    name = fields.String(metadata={"example": "Midi Wrap Dress"})
    category = fields.String(metadata={"example": "dresses"})
    price = fields.Nested(MoneySchema)
    colors = fields.List(fields.String())
    sizes = fields.List(fields.String())
    imageUrl = fields.String()
    url = fields.String()
    inStock = fields.Boolean()


class ProductDetailSchema(ProductSchema):
    """A product with its description."""

    description = fields.String()


class ProductPageSchema(Schema):
    """One page of search results."""

    items = fields.List(fields.Nested(ProductSchema))
    page = fields.Integer()
    pageSize = fields.Integer()
    total = fields.Integer(metadata={"description": "Matches across every page."})
