"""The merchant API: /merchant/products and /merchant/orders, behind bearer API keys."""

from flask import Blueprint
from werkzeug.routing import BaseConverter

from .. import api, limits
from ..capsules import manage as capsules
from ..capsules.schemas import CapsuleBodySchema, MerchantCapsuleListSchema, MerchantCapsuleSchema
from ..products import steer
from ..products.schemas import SKU_PATTERN
from ..products.search_schemas import (
    RULE_ID_PATTERN,
    DeletedRuleSchema,
    RuleBodySchema,
    SearchRuleListSchema,
    SearchRuleSchema,
    SynonymsBodySchema,
    SynonymSetListSchema,
    SynonymSetSchema,
)
from ..returns import service as returns
from ..returns.schemas import RMA_PATTERN, ReturnLabelBodySchema, ReturnLabelSchema
from . import auth, inventory, service, timeline
from .schemas import (
    ArchivedSchema,
    BatchResultSchema,
    InventoryBatchResultSchema,
    InventoryBatchSchema,
    InventoryBodySchema,
    InventorySchema,
    MerchantOrderSchema,
    MerchantProductSchema,
    OrderBatchSchema,
    OrderBodySchema,
    OrderEventBodySchema,
    OrderEventSchema,
    ProductBatchSchema,
    ProductBodySchema,
)

bp = Blueprint("merchant", __name__, url_prefix="/api/concierge/merchant")

AUTH_ERRORS = ((401, "unauthorized"), (403, "insufficient_scope"))
CATALOG, ORDERS = "catalog:write", "orders:write"


class KeyConverter(BaseConverter):
    """A sku or order number in a path: any segment but `batch`, the batch endpoints' name."""

    regex = "(?!batch$)[^/]+"


# `batch` as a sku or order number names the batch endpoint, which answers 405 there.
BATCH = (405, "method_not_allowed")
# Before the routes below, which use it.
bp.record_once(lambda state: state.app.url_map.converters.setdefault("key", KeyConverter))
_SPACE = r"[\t-\r\x1c-\x20]*"  # the ASCII spaces the service drops
PATH = {
    "sku": {"type": "string",
            "pattern": f"^{_SPACE}{SKU_PATTERN[1:-1]}{_SPACE}$", "not": {"enum": ["batch"]},
            "description": "Any case, up to 255 characters of letters, digits, - _ and ., "
                           "URL-encoded; stored upper-case."},
    "capsuleId": {"type": "string", "pattern": "^[a-z0-9-]{1,64}$",
                  "description": "Lower-case letters, digits and -."},
    "ruleId": {"type": "string", "pattern": RULE_ID_PATTERN,
               "description": "Lower-case letters, digits and -."},
    "rmaNumber": {"type": "string", "pattern": RMA_PATTERN,
                  "description": "The RMA number POST /returns answered."},
    "orderNumber": {"type": "string", "not": {"enum": ["batch"]},
                    "pattern": f"^{_SPACE}(?:#{_SPACE})?(?:[A-Za-z0-9_-]{_SPACE}){{3,32}}$",
                    "description": "Any case, spaces dropped, an optional leading # "
                                   "(Shopify's #1001, URL-encoded %23); stored upper-case."},
}


def _merchant(*errors, summary: str, rules: dict[str, str] | None = None):
    """Document a merchant endpoint and apply its rate limits."""
    def decorator(view):
        view = api.documents(*AUTH_ERRORS, *errors, tags=("merchant",), summary=summary,
                             security=auth.SCHEME, path=PATH, rules=rules)(view)
        return limits.merchant_auth_failures(limits.merchant_calls(view))
    return decorator


@bp.put("/products/<key:sku>")
@_merchant(BATCH, summary="Create or replace one product")
@auth.requires(CATALOG)
@api.responds(201, MerchantProductSchema, "Created.")
@api.responds(200, MerchantProductSchema, "Replaced (or unchanged).")
@api.body(ProductBodySchema)
def put_product(data, sku):
    """Store the product; keywords and derived fields are computed now."""
    product, status = service.put_one("products", sku, data)
    return product, 201 if status == "created" else 200


@bp.post("/products/batch")
@_merchant(summary="Create or replace up to 500 products; each succeeds or fails alone")
@auth.requires(CATALOG)
@api.responds(200, BatchResultSchema, "The result of each product, in the order sent.")
@api.body(ProductBatchSchema)
def batch_products(data):
    """Upsert every valid product in one bulk write."""
    results = service.save("products", data["products"])
    return {"results": results, "counts": service.counts(results)}


@bp.delete("/products/<key:sku>")
@_merchant(BATCH, (404, "product_not_found"), summary="Archive a product (kept for orders)")
@auth.requires(CATALOG)
@api.responds(200, ArchivedSchema, "Archived (again: same answer).")
def archive_product(sku):
    """Take the product out of search and its page."""
    return service.archive(sku)


@bp.put("/inventory/<key:sku>")
@_merchant(BATCH, (404, "product_not_found"),
           summary="Set one variant's stock (search reflects it within 5 s)",
           rules={"sku": "a variant's sku, or the sku of a product without variants: the "
                         "own sku of a product with variants is refused (422 naming `sku`)"})
@auth.requires(CATALOG)
@api.responds(200, InventorySchema, "Set (or already so).")
@api.body(InventoryBodySchema)
def put_stock(data, sku):
    """Set the stock of a variant, or of a product without variants."""
    return inventory.set_one(sku, data["stock"])


@bp.post("/inventory/batch")
@_merchant(summary="Set up to 1,000 variants' stock; each succeeds or fails alone")
@auth.requires(CATALOG)
@api.responds(200, InventoryBatchResultSchema, "The result of each sku, in the order sent.")
@api.body(InventoryBatchSchema)
def batch_stock(data):
    """Set every valid stock level; an unknown sku is rejected alone."""
    return {"results": inventory.set_many(data["items"])}


@bp.put("/orders/<key:orderNumber>")
@_merchant(BATCH, summary="Create or replace one order (its timeline is kept)")
@auth.requires(ORDERS)
@api.responds(201, MerchantOrderSchema, "Created.")
@api.responds(200, MerchantOrderSchema, "Replaced (or unchanged).")
@api.body(OrderBodySchema)
def put_order(data, orderNumber):  # noqa: N803 - the path names it as the API does
    """Store the order."""
    order, status = service.put_one("orders", orderNumber, data)
    return order, 201 if status == "created" else 200


@bp.post("/orders/batch")
@_merchant(summary="Create or replace up to 500 orders; each succeeds or fails alone")
@auth.requires(ORDERS)
@api.responds(200, BatchResultSchema, "The result of each order, in the order sent.")
@api.body(OrderBatchSchema)
def batch_orders(data):
    """Upsert every valid order in one bulk write."""
    results = service.save("orders", data["orders"])
    return {"results": results, "counts": service.counts(results)}


@bp.post("/orders/<key:orderNumber>/events")
@_merchant((404, "order_not_found"),
           summary="Add a tracking event (idempotent by eventId); emits order.updated")
@auth.requires(ORDERS)
@api.responds(201, OrderEventSchema, "Added to the timeline.")
@api.responds(200, OrderEventSchema, "Already received: nothing added.")
@api.body(OrderEventBodySchema)
def add_event(data, orderNumber):  # noqa: N803
    """Append the event; the status follows the latest event by time."""
    event, new = timeline.add_event(orderNumber, data)
    return event, 201 if new else 200


@bp.put("/returns/<rmaNumber>/label")
@_merchant((404, "return_not_found"),
           summary="Give a return its prepaid label; the shopper is emailed the link")
@auth.requires(ORDERS)
@api.responds(200, ReturnLabelSchema, "Stored (the same link again: nothing emailed twice).")
@api.body(ReturnLabelBodySchema)
def put_return_label(data, rmaNumber):  # noqa: N803
    """Store the label link and email it to the shopper."""
    return returns.attach_label(rmaNumber, data["labelUrl"])


@bp.put("/capsules/<capsuleId>")
@_merchant(summary="Create or replace one capsule (a retired one is offered again)")
@auth.requires(CATALOG)
@api.responds(201, MerchantCapsuleSchema, "Created.")
@api.responds(200, MerchantCapsuleSchema, "Replaced (or unchanged).")
@api.body(CapsuleBodySchema)
def put_capsule(data, capsuleId):  # noqa: N803
    """Store the capsule; its holds keep their places and end times."""
    capsule, status = capsules.put_capsule(capsuleId, data)
    return capsule, 201 if status == "created" else 200


@bp.get("/capsules")
@_merchant(summary="List every capsule, retired ones too, with its active holds")
@auth.requires(CATALOG)
@api.responds(200, MerchantCapsuleListSchema, "Every capsule.")
def list_capsules():
    """Return every capsule."""
    return {"items": capsules.every_capsule()}


@bp.delete("/capsules/<capsuleId>")
@_merchant((404, "capsule_not_found"),
           summary="Retire a capsule: no longer shown or held; active holds stay valid "
                   "until they expire")
@auth.requires(CATALOG)
@api.responds(200, MerchantCapsuleSchema, "Retired (again: the same answer).")
def retire_capsule(capsuleId):  # noqa: N803
    """Take the capsule off offer."""
    return capsules.retire(capsuleId)


@bp.put("/search/synonyms")
@_merchant(summary="Replace the store's search synonyms of one language, or of all "
                   "(in force within 5 s)")
@auth.requires(CATALOG)
@api.responds(200, SynonymSetSchema, "Stored (beside the built-in synonyms).")
@api.body(SynonymsBodySchema)
def put_synonyms(data):
    """Store the synonyms, replacing the earlier ones of the same locale (or of all)."""
    return steer.put_synonyms(data)


@bp.get("/search/synonyms")
@_merchant(summary="List the store's search synonyms, per language")
@auth.requires(CATALOG)
@api.responds(200, SynonymSetListSchema, "Every synonym set, the one for all languages first.")
def list_synonyms():
    """Return every synonym set."""
    return {"items": steer.synonym_sets()}


@bp.put("/search/rules/<ruleId>")
@_merchant(summary="Create or replace a search rule: pin and hide products for one "
                   "search (in force within 5 s)")
@auth.requires(CATALOG)
@api.responds(201, SearchRuleSchema, "Created.")
@api.responds(200, SearchRuleSchema, "Replaced.")
@api.body(RuleBodySchema)
def put_rule(data, ruleId):  # noqa: N803
    """Store the rule."""
    rule, created = steer.put_rule(ruleId, data)
    return rule, 201 if created else 200


@bp.get("/search/rules")
@_merchant(summary="List every search rule, with whether it is in force now")
@auth.requires(CATALOG)
@api.responds(200, SearchRuleListSchema, "Every rule, by id.")
def list_rules():
    """Return every rule."""
    return {"items": steer.rules()}


@bp.delete("/search/rules/<ruleId>")
@_merchant((404, "search_rule_not_found"), summary="Delete a search rule (within 5 s)")
@auth.requires(CATALOG)
@api.responds(200, DeletedRuleSchema, "Deleted.")
def delete_rule(ruleId):  # noqa: N803
    """Delete the rule."""
    return steer.delete_rule(ruleId)
