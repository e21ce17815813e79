"""Product search query and product answers."""

from marshmallow import Schema, ValidationError, fields, pre_dump, validate, validates_schema

from ..i18n import TAG_MAX_LENGTH
from ..schemas import MoneySchema, RequestSchema, TrimmedString
from .variants import public_variants

SORTS = ("relevance", "price_asc", "price_desc", "newest")
MAX_PAGE = 1000  # deeper pages cost a long skip and no shopper reads them
# As the platforms allow them (a Shopify handle is often longer than 40): up to 255 letters,
# digits, - _ and . starting with a letter or digit (never "." or ".." as a path segment).
SKU_MAX = 255
SKU_PATTERN = rf"^[A-Za-z0-9][A-Za-z0-9._-]{{2,{SKU_MAX - 1}}}$"
SKU = validate.Regexp(SKU_PATTERN, error=f"Must be a sku such as AUR-DR-0001: 3-{SKU_MAX} "
                                         "letters, digits, - _ or . (the first a letter "
                                         "or digit).")


class ProductQuerySchema(RequestSchema):
    """GET /products query string."""

    openapi_rules = {"minPrice": "at most maxPrice when both are given"}

    q = TrimmedString(validate=validate.Length(max=200), metadata={
        "description": "Free text as a shopper writes it. Words naming a category, colour "
                       "(or colour family), size, price or availability become those "
                       "filters; filler words are dropped; every other word must match the "
                       "name, description, category, colours or tags, as written, as a "
                       "synonym, in the singular or plural, with one typo (5+ letters) "
                       "or, for the last word, as its beginning. Explicit parameters win.",
        "example": "red dress under $200"})
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
    sort = fields.String(validate=validate.OneOf(SORTS), metadata={
        "description": "relevance (default): best match first (a product named exactly as "
                       "q, then a word in the name outranks it in the description or "
                       "tags), catalogue rank among equals and when nothing is searched "
                       "as text; price_asc (also when q asks for it: \"cheap\", \"pas "
                       "cher\", \"günstig\", \"barato\"), price_desc, newest."})
    locale = TrimmedString(validate=validate.Length(min=1, max=TAG_MAX_LENGTH), metadata={
        "description": "The language q is written in (en, fr, de, es; fr-CA reads as fr); "
                       "else Accept-Language, else en. Answers use the products' "
                       "translations into it where the store gave them.",
        "example": "fr"})
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE))
    pageSize = fields.Integer(load_default=12, validate=validate.Range(min=1, max=50))

    @validates_schema
    def price_range(self, data, **kwargs):
        """Refuse a minimum price above the maximum."""
        low, high = data.get("minPrice"), data.get("maxPrice")
        if low is not None and high is not None and low > high:
            raise ValidationError("Must be less than or equal to maxPrice.", "minPrice")


class VariantSchema(Schema):
    """A variant as shoppers see it: whether it can be bought, never how many are left."""

    sku = fields.String(metadata={"example": "AUR-DR-0001-BLK-M"})
    size = fields.String(allow_none=True, metadata={
        "description": "null for a product without variants (every size it lists).",
        "example": "M"})
    color = fields.String(allow_none=True, metadata={
        "description": "null for a product without variants (every colour it lists).",
        "example": "black"})
    available = fields.Boolean(metadata={"description": "In stock now."})
    lowStock = fields.Boolean(metadata={"description": "1-3 left."})


class ProductSchema(Schema):
    """A product as search results show it."""

    sku = fields.String(metadata={"example": "AUR-DR-0001"})
    name = fields.String(metadata={"example": "Midi Wrap Dress"})
    category = fields.String(metadata={"example": "dresses"})
    price = fields.Nested(MoneySchema, metadata={"description": "The lowest variant price."})
    colors = fields.List(fields.String())
    sizes = fields.List(fields.String())
    imageUrl = fields.String()
    url = fields.String()
    inStock = fields.Boolean(metadata={"description": "Any variant is available."})
    variants = fields.List(fields.Nested(VariantSchema), metadata={
        "description": "One per size and colour; a product without variants has one, "
                       "its own sku, with size and color null."})
    selectedVariant = fields.String(metadata={
        "description": "The variant sku the product was asked for by (only then)."})

    @pre_dump
    def shoppers_variants(self, product, **kwargs):
        """Show the variants' availability, never their stock."""
        return {**product, "variants": public_variants(product)}


class ProductDetailSchema(ProductSchema):
    """A product with its description."""

    description = fields.String()


class PartSchema(Schema):
    """Words of q and what they were read as."""

    field = fields.String(metadata={
        "description": "terms, category, colors, sizes, minPrice, maxPrice, price (a range), "
                       "inStock or sort.", "example": "colors"})
    value = fields.Raw(metadata={"example": ["burgundy", "rust"]})
    text = fields.String(metadata={"description": "The words exactly as written in q.",
                                   "example": "red"})
    label = fields.Raw(metadata={
        "description": "For a category, colours or sizes read in French, German or Spanish: "
                       "the value (or each of them) as that language names it, for the chip.",
        "example": ["bordeaux", "rouille"]})


class InterpretationSchema(Schema):
    """What q was understood as (explicit parameters are not repeated here)."""

    terms = fields.List(fields.String(), metadata={
        "description": "Words still searched as text (corrected).", "example": ["trench"]})
    category = fields.String(metadata={"example": "outerwear"})
    colors = fields.List(fields.String(), metadata={"example": ["burgundy", "rust"]})
    sizes = fields.List(fields.String(), metadata={"example": ["M"]})
    minPrice = fields.Integer(metadata={"description": "Minor units."})
    maxPrice = fields.Integer(metadata={"description": "Minor units.", "example": 10000})
    inStock = fields.Boolean()
    sort = fields.String(metadata={
        "description": "price_asc when the words asked for the cheapest first (and no "
                       "sort parameter was given).", "example": "price_asc"})
    locale = fields.String(metadata={"description": "The language q was read in.",
                                     "example": "fr"})
    corrections = fields.Dict(keys=fields.String(), values=fields.String(),
                              metadata={"example": {"dreses": "dresses"}})
    parts = fields.List(fields.Nested(PartSchema), metadata={
        "description": "Each understood piece with its words, in the order written, so a "
                       "client can show removable chips (remove `text` from q)."})


class FacetsSchema(Schema):
    """Counts over the whole result, not just the page."""

    category = fields.Dict(keys=fields.String(), values=fields.Integer(),
                           metadata={"example": {"dresses": 12}})
    colors = fields.Dict(keys=fields.String(), values=fields.Integer(),
                         metadata={"example": {"navy": 4, "rust": 2}})
    sizes = fields.Dict(keys=fields.String(), values=fields.Integer(),
                        metadata={"example": {"M": 9}})


class RelaxedSchema(Schema):
    """A condition a search that found nothing gave up to offer something."""

    field = fields.String(metadata={
        "description": "inStock, sizes, minPrice, maxPrice, colors, category or terms "
                       "(a word of q), given up in this order.", "example": "sizes"})
    value = fields.Raw(metadata={"description": "The value given up.", "example": ["M"]})


class ProductPageSchema(Schema):
    """One page of search results."""

    items = fields.List(fields.Nested(ProductSchema), metadata={
        "description": "The matches; when total is 0, the products found without the "
                       "conditions of `relaxed` (first page), else empty."})
    page = fields.Integer()
    pageSize = fields.Integer()
    total = fields.Integer(metadata={"description": "Matches across every page."})
    facets = fields.Nested(FacetsSchema)
    interpretation = fields.Nested(InterpretationSchema)
    relaxed = fields.List(fields.Nested(RelaxedSchema), metadata={
        "description": "Only when total is 0: the conditions of this search (from q or "
                       "the parameters) given up, in order, until `items` were found; "
                       "empty when giving them up found nothing either."})


class SuggestQuerySchema(RequestSchema):
    """GET /products/suggest query string."""

    q = TrimmedString(required=True, validate=validate.Length(min=1, max=50), metadata={
        "description": "The words typed so far (the last may be unfinished).",
        "example": "cashm"})
    locale = TrimmedString(validate=validate.Length(min=1, max=TAG_MAX_LENGTH), metadata={
        "description": "The shopper's language (en, fr, de, es); else Accept-Language, "
                       "else en.", "example": "fr"})


class SuggestionSchema(Schema):
    """One way to finish what the shopper is typing."""

    text = fields.String(metadata={"description": "What to show and search for.",
                                   "example": "Cashmere Gloves"})
    kind = fields.String(metadata={
        "description": "product (opens the product: `sku`), category (a category word of "
                       "the shopper's language) or query (the words completed).",
        "example": "product"})
    sku = fields.String(metadata={"description": "Only for a product.",
                                  "example": "AUR-AC-0006"})


class SuggestionsSchema(Schema):
    """Type-ahead suggestions."""

    suggestions = fields.List(fields.Nested(SuggestionSchema), metadata={
        "description": "At most 8: categories, completed words, then products."})
