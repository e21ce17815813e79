"""GET /products and /products/<sku>."""

from flask import Blueprint, request

from .. import api, events, i18n, limits
from ..flags import require_enabled
from . import service
from .schemas import (
    ProductDetailSchema,
    ProductPageSchema,
    ProductQuerySchema,
    SuggestionsSchema,
    SuggestQuerySchema,
)

bp = Blueprint("products", __name__, url_prefix="/api/concierge")
bp.before_request(require_enabled)


@bp.get("/products")
@limits.reads
@api.documents((503, "concierge_disabled"), tags=("products",),
               summary="Search the catalogue (keywords, filters, sort, pages)")
@api.responds(200, ProductPageSchema, "One page of results.")
@api.query(ProductQuerySchema)
def search(params):
    """Return one page of products matching every word of q and the filters."""
    locale = i18n.request_locale(params.get("locale"))
    page = service.search(params, locale)
    events.record("aurora_products_searched", q=params.get("q"), total=page["total"],
                  page=page["page"], sort=params.get("sort", "relevance"), locale=locale)
    return page


@bp.get("/products/suggest")
@limits.reads
@api.documents((503, "concierge_disabled"), tags=("products",),
               summary="Suggest categories, words and products while the shopper types")
@api.responds(200, SuggestionsSchema, "At most 8 suggestions.")
@api.query(SuggestQuerySchema)
def suggest(params):
    """Return suggestions for the words typed so far (no analytics event: one per
    keystroke would drown the searches themselves)."""
    return service.suggest(params, i18n.request_locale(params.get("locale")))


@bp.get("/products/<sku>")
@limits.reads
@api.documents((404, "product_not_found"), (503, "concierge_disabled"), tags=("products",),
               summary="Show one product with its description")
@api.responds(200, ProductDetailSchema, "The product.")
def detail(sku):
    """Return the product."""
    product = service.get(sku, i18n.request_locale(request.args.get("locale")))
    events.record("aurora_product_viewed", sku=product["sku"])
    return product
