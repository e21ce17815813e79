"""Search the catalogue and fetch products."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import timedelta

from flask import current_app
from pymongo.errors import PyMongoError

from .. import api
from ..clock import now
from ..errors import NotFound
from ..i18n import DEFAULT_LOCALE
from ..text import fold, normal_name, singular
from . import repository
from .engine import NAMES, Plan
from .freshness import SKEW, CatalogIndex
from .query_parser import Parser, Reading, Term
from .relaxing import relax
from .schemas import SKU_MAX, ProductPageSchema, SuggestionsSchema
from .steering import Snapshot, Steering
from .suggestions import suggest as suggestions
from .variants import matching, skus_of
from .vocabulary import vocabulary

log = logging.getLogger(__name__)

# Query parameter -> the reading's filter it replaces (explicit parameters win over words).
EXPLICIT = {"category": "category", "color": "colors", "size": "sizes",
            "minPrice": "minPrice", "maxPrice": "maxPrice", "inStock": "inStock",
            "sort": "sort"}
# Filters whose words also rank the result (a price or "in stock" names nothing in a product).
RANKED = {"category", "colors"}
LABELLED = frozenset({"category", "colors", "sizes"})  # parts whose values have labels


class ProductNotFound(NotFound):
    """No product has this sku."""

    code, title = "product_not_found", "Product not found"


def catalog_index() -> CatalogIndex:
    """Return this app's search index (one per app and process)."""
    extensions = current_app.extensions
    if "catalog_index" not in extensions:
        settings = current_app.config["CONCIERGE"]
        skew = timedelta(0) if settings.embedded else SKEW  # in-process writes: never late
        extensions.setdefault("catalog_index",
                              CatalogIndex(settings.SEARCH_REFRESH_MS / 1000, skew=skew))
    return extensions["catalog_index"]


def _steering() -> Steering:
    extensions = current_app.extensions
    if "search_steering" not in extensions:
        interval = current_app.config["CONCIERGE"].SEARCH_REFRESH_MS / 1000
        extensions.setdefault("search_steering", Steering(interval))
    return extensions["search_steering"]


def steering() -> Snapshot:
    """Return this app's copy of the store's synonyms and rules, fresh within
    SEARCH_REFRESH_MS (one per app and process)."""
    return _steering().current()


def steering_changed() -> None:
    """Have this process read the synonyms and rules again at its next search (it just
    changed them; the other workers notice within SEARCH_REFRESH_MS)."""
    _steering().expire()


def warm(app) -> None:
    """Build the app's search index now (a gunicorn worker before its first request)."""
    if "concierge_store" not in getattr(app, "extensions", {}):
        return  # another app under the same gunicorn settings (make bench's bare route)
    with app.app_context():
        try:
            catalog_index().current()
        except PyMongoError as error:
            log.warning("search index not built at start, first search builds it: %s", error)


def plan(params: dict, reading: Reading) -> Plan:
    """Merge what the words say with the explicit parameters, which win."""
    page, size = params["page"], params["pageSize"]
    overridden = {name for param, name in EXPLICIT.items() if param in params}
    return Plan(
        terms=reading.terms,
        boosts=[Term(fold(part["text"]), part["text"], (fold(part["text"]),),
                     scored=part["field"] == "colors")
                for part in reading.parts if _ranks(part, overridden)],
        category=fold(params["category"]) if "category" in params else reading.category,
        colors=[fold(params["color"])] if "color" in params else reading.colors or None,
        sizes=[params["size"]] if "size" in params else reading.sizes or None,
        min_price=params.get("minPrice", reading.min_price),
        max_price=params.get("maxPrice", reading.max_price),
        in_stock=params.get("inStock", reading.in_stock),
        sort=params.get("sort") or reading.sort or "relevance",
        offset=(page - 1) * size, limit=size,
        exact=normal_name(params.get("q") or "") or None, within=explicit(params))


def explicit(params: dict) -> Plan:
    """Return the filters the shopper set as parameters (not read from her words)."""
    return Plan(category=fold(params["category"]) if "category" in params else None,
                colors=[fold(params["color"])] if "color" in params else None,
                sizes=[params["size"]] if "size" in params else None,
                min_price=params.get("minPrice"), max_price=params.get("maxPrice"),
                in_stock=params.get("inStock"))


def _ranks(part: dict, overridden: set[str]) -> bool:
    """Tell whether a word read as a filter should also rank by the names it is in.

    A word narrower than its filter ("coat" in outerwear, "red" for burgundy and rust)
    ranks the products it names first; a word that is the category itself ("dresses")
    names every product of it alike, so the catalogue's rank orders them.
    """
    if part["field"] not in RANKED or part["field"] in overridden:
        return False
    return part["field"] != "category" or singular(fold(part["text"])) != singular(
        part["value"])


def interpretation(reading: Reading, params: dict, locale: str = DEFAULT_LOCALE) -> dict:
    """Say what the words were read as, leaving out what explicit parameters replaced."""
    overridden = {name for param, name in EXPLICIT.items() if param in params}
    understood = {"category": reading.category, "colors": reading.colors,
                  "sizes": reading.sizes, "minPrice": reading.min_price,
                  "maxPrice": reading.max_price, "inStock": reading.in_stock,
                  "sort": reading.sort, "corrections": reading.corrections}
    answer = {"terms": [t.word for t in reading.terms], "locale": locale}
    answer |= {k: v for k, v in understood.items()
               if v not in (None, [], {}) and k not in overridden}
    named = vocabulary(locale).labels
    answer["parts"] = [_labelled(p, named) for p in reading.parts if _kept(p, overridden)]
    return answer


def _labelled(part: dict, named: dict[str, str]) -> dict:
    """Add how the shopper's language names the part's category, colours or sizes."""
    if not named or part["field"] not in LABELLED:
        return part
    value = part["value"]
    if isinstance(value, str):
        return {**part, "label": named.get(value, value)}
    return {**part, "label": [named.get(one, one) for one in value]}


def _kept(part: dict, overridden: set[str]) -> bool:
    if part["field"] == "price":
        return not {"minPrice", "maxPrice"} <= overridden
    return part["field"] not in overridden


def search(params: dict, locale: str = DEFAULT_LOCALE) -> dict:
    """Return one page of matching products with the total, facets and interpretation,
    the words read in the shopper's locale."""
    engine, store = catalog_index().current(), steering()
    steer = store.steer(params.get("q") or "", now())

    def answer() -> tuple[dict, dict]:
        reading = Parser(params.get("q") or "", engine.catalogue(), store.words(locale)).parse()
        planned = replace(plan(params, reading), pinned=steer.pin, hidden=steer.hide)
        found = engine.search(planned)
        if not found["total"]:  # nothing: say so, and offer what a wider search finds
            wider, relaxed = relax(engine, planned)
            found = {**found, "items": wider["items"], "relaxed": relaxed}
        return found, interpretation(reading, params, locale)

    def page() -> api.Dumped:
        # Kept dumped: a repeated search costs neither the engine nor the schema again.
        found, understood = answer()
        return api.dumped(ProductPageSchema, {
            "items": [localized(p, locale) for p in found["items"]],
            "page": params["page"], "pageSize": params["pageSize"],
            "total": found["total"], "facets": found["facets"],
            "interpretation": understood} | (
                {"relaxed": found["relaxed"]} if "relaxed" in found else {}))

    # The store's words and rules in force are part of the question.
    return engine.remembered((locale, store.version, steer, *sorted(params.items())), page)


def localized(product: dict, locale: str) -> dict:
    """Give a product the name and description of the shopper's locale, where the store
    translated them (its own words otherwise)."""
    words = (product.get("translations") or {}).get(locale) or {}
    name = (product.get(NAMES) or {}).get(locale) or words.get("name")
    changed = {"name": name} if name else {}
    if words.get("description") and "description" in product:
        changed["description"] = words["description"]
    return {**product, **changed} if changed else product


def suggest(params: dict, locale: str = DEFAULT_LOCALE) -> api.Dumped:
    """Return the type-ahead suggestions for the words typed so far."""
    engine = catalog_index().current()
    return engine.remembered(("suggest", locale, params["q"]), lambda: api.dumped(
        SuggestionsSchema, {"suggestions": suggestions(params["q"], locale, engine)}))


def normal_sku(sku: str) -> str:
    """Return a sku as stored (uppercase, trimmed)."""
    return sku.strip().upper()


def get(sku: str, locale: str = DEFAULT_LOCALE) -> dict:
    """Return the product this sku names (its own or a variant's) in the shopper's locale,
    else raise ProductNotFound; a variant's sku selects it (`selectedVariant`)."""
    wanted = normal_sku(sku)
    product = repository.find_by_sku(wanted) if len(sku) <= SKU_MAX else None
    if product is None:
        raise ProductNotFound(f"No product has the sku {sku[:SKU_MAX]!r}.")
    return localized(_selecting(product, wanted), locale)


def _selecting(product: dict, sku: str) -> dict:
    return {**product, "selectedVariant": sku} if matching(product, sku) else product


def size_order(value: str) -> tuple:
    """Sort key for sizes: letter sizes from XS up, then numeric sizes, then the rest."""
    letters = ("XS", "S", "M", "L", "XL", "One Size")
    if value in letters:
        return (0, letters.index(value), value)
    return (1, int(value), value) if value.isdigit() else (2, 0, value)


def sizes_offered(skus: list[str]) -> tuple[str, ...]:
    """Return the sizes the on-sale products among these skus come in, smallest first.

    Read from this worker's index, not MongoDB, and kept per catalogue
    generation: hot pages (capsules) stay flat as the catalogue grows.
    """
    if not skus:
        return ()
    engine = catalog_index().current()

    def sizes() -> tuple[str, ...]:
        found = engine.summaries(skus).values()
        return tuple(sorted({s for p in found for s in p.get("sizes") or ()}, key=size_order))
    return engine.remembered(("sizes", *sorted(skus)), sizes)


def by_skus(skus: list[str]) -> dict[str, dict]:
    """Return the products these skus name, keyed by each sku asked for; a variant's sku
    gives its product with `selectedVariant`."""
    if not skus:
        return {}
    named = {s: p for p in repository.find_by_skus(skus) for s in skus_of(p)}
    return {sku: _selecting(named[sku], sku) for sku in skus if sku in named}
