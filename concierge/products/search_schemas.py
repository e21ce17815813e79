"""The store's search synonyms and rules: request bodies and answers."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..i18n import DEFAULT_LOCALE, LOCALES
from ..schemas import RequestSchema, TrimmedString, UTCDateTime
from ..text import normal_name
from .schemas import SKU
from .vocabulary import phrase

RULE_ID_PATTERN = r"^[a-z0-9-]{1,64}$"
MAX_PINS, MAX_HIDES = 8, 50
MAX_GROUPS, GROUP_WORDS, WORD_MAX, MAX_TARGETS = 500, 20, 60, 10
WORD_RULE = "no word is only punctuation (it must hold a letter or digit)"


def _word(**kwargs) -> TrimmedString:
    return TrimmedString(required=True, validate=validate.Length(1, WORD_MAX), **kwargs)


def _skus(most: int, **metadata) -> fields.List:
    return fields.List(TrimmedString(required=True, validate=SKU), load_default=list,
                       validate=validate.Length(max=most, error=f"At most {most} skus."),
                       metadata=metadata)


class OneWaySchema(RequestSchema):
    """A word that also finds others, not the reverse: "tee" finds t-shirts."""

    source = _word(data_key="from", attribute="from", metadata={"example": "tee"})
    to = fields.List(_word(), required=True, validate=validate.Length(
        1, MAX_TARGETS, error=f"Name 1 to {MAX_TARGETS} words it leads to."),
                     metadata={"example": ["t-shirt"]})


class SynonymsBodySchema(RequestSchema):
    """PUT /merchant/search/synonyms: the store's synonyms of one locale, or of all."""

    openapi_rules = {"groups": f"each group names two or more different words once "
                               f"folded (case, accents, hyphens aside); {WORD_RULE}",
                     "oneWay": f"a word leads to other words than itself; {WORD_RULE}"}

    groups = fields.List(
        fields.List(_word(), validate=validate.Length(
            2, GROUP_WORDS, error=f"A group names 2 to {GROUP_WORDS} words.")),
        required=True,
        validate=validate.Length(max=MAX_GROUPS), metadata={
            "description": "Words that each find the others ([] for none).",
            "example": [["jumper", "pullover", "sweater"]]})
    oneWay = fields.List(fields.Nested(OneWaySchema), required=True,
                         validate=validate.Length(max=MAX_GROUPS), metadata={
                             "description": "Words that also find others, not the reverse "
                                            "([] for none)."})
    locale = fields.String(allow_none=True, load_default=None,
                           validate=validate.OneOf(LOCALES), metadata={
                               "description": "The shoppers' language these synonyms are "
                                              "for; absent or null: every language."})

    @validates_schema(skip_on_field_errors=True)
    def words(self, data, **kwargs):
        """Require words with a letter or digit, and groups of two different words."""
        locale, errors = data.get("locale") or DEFAULT_LOCALE, {}

        def read(word: str, where: str) -> str:
            if not normal_name(word):
                errors[where] = ["Must hold a letter or digit."]
                return ""
            return " ".join(phrase(word, locale))

        for g, group in enumerate(data["groups"]):
            seen = {read(word, f"groups.{g}.{i}") for i, word in enumerate(group)} - {""}
            if len(seen) < 2 and f"groups.{g}.0" not in errors:
                errors[f"groups.{g}"] = ["Must name at least two different words."]
        for n, entry in enumerate(data["oneWay"]):
            source = read(entry["from"], f"oneWay.{n}.from")
            targets = {read(word, f"oneWay.{n}.to.{i}") for i, word in enumerate(entry["to"])}
            if source and not targets - {"", source}:
                errors[f"oneWay.{n}.to"] = ["Must name a word other than `from`."]
        if errors:
            raise ValidationError(errors)


class SynonymSetSchema(Schema):
    """The store's synonyms of one locale (null: of every locale)."""

    locale = fields.String(allow_none=True, metadata={"example": None})
    groups = fields.List(fields.List(fields.String()))
    oneWay = fields.List(fields.Nested(OneWaySchema))
    updatedAt = UTCDateTime()


class SynonymSetListSchema(Schema):
    """Every synonym set the store sent, the one for every locale first."""

    items = fields.List(fields.Nested(SynonymSetSchema))


class RuleBodySchema(RequestSchema):
    """PUT /merchant/search/rules/<ruleId>: the whole rule (replaces what is stored)."""

    openapi_rules = {
        "query": "holds a letter or digit (compared normalised: case, accents and "
                 "punctuation aside)",
        "pin": "each names a product on sale, not archived (422 naming `pin.N` and the "
               "sku); each once; a rule pins or hides at least one product",
        "hide": "each names a product of the catalogue (422 naming `hide.N`), each once, "
                "none also pinned",
        "endsAt": "later than startsAt"}

    query = TrimmedString(required=True, validate=validate.Length(1, 200), metadata={
        "description": "The search it steers: a search whose words, normalised, are "
                       "these.", "example": "wedding guest"})
    pin = _skus(MAX_PINS, description="Shown first, in this order (a variant's sku pins "
                                      "its product).", example=["AUR-DR-0001"])
    hide = _skus(MAX_HIDES, description="Never shown for this search.",
                 example=["AUR-DR-0005"])
    startsAt = UTCDateTime(allow_none=True, load_default=None, metadata={
        "description": "In force from then on (default: at once)."})
    endsAt = UTCDateTime(allow_none=True, load_default=None, metadata={
        "description": "In force until then (default: until deleted)."})

    @validates_schema(skip_on_field_errors=True)
    def coherent(self, data, **kwargs):
        """Require words, something to do, each sku once and the end after the start."""
        if not normal_name(data["query"]):
            raise ValidationError({"query": ["Must hold a letter or digit."]})
        if not data["pin"] and not data["hide"]:
            raise ValidationError({"pin": ["Pin or hide at least one product."]})
        pinned = {sku.upper(): n for n, sku in enumerate(data["pin"])}
        for name in ("pin", "hide"):
            seen: dict[str, int] = {}
            for n, sku in enumerate(data[name]):
                first = seen.setdefault(sku.upper(), n)
                if first != n:
                    raise ValidationError({f"{name}.{n}": [f"Repeats {name}.{first}."]})
                if name == "hide" and sku.upper() in pinned:
                    raise ValidationError({f"hide.{n}": [
                        f"Also pinned (pin.{pinned[sku.upper()]}): a product is pinned "
                        "or hidden, not both."]})
        if data["startsAt"] and data["endsAt"] and data["endsAt"] <= data["startsAt"]:
            raise ValidationError({"endsAt": ["Must be later than startsAt."]})


class SearchRuleSchema(Schema):
    """A search rule as the merchant API answers it."""

    ruleId = fields.String(metadata={"example": "wedding-guest"})
    query = fields.String()
    pin = fields.List(fields.String())
    hide = fields.List(fields.String())
    startsAt = UTCDateTime(allow_none=True)
    endsAt = UTCDateTime(allow_none=True)
    active = fields.Boolean(metadata={"description": "In force now (within its dates)."})
    createdAt = UTCDateTime()
    updatedAt = UTCDateTime()


class SearchRuleListSchema(Schema):
    """Every search rule, by id."""

    items = fields.List(fields.Nested(SearchRuleSchema))


class DeletedRuleSchema(Schema):
    """The rule deleted."""

    ruleId = fields.String()
    deleted = fields.Boolean()
