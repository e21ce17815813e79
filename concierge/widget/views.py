"""GET /widget (the iframe page) and GET /demo (a sample storefront), with their headers."""

from __future__ import annotations

import hashlib
import json
import time
from functools import cache
from pathlib import Path

import rjsmin
from flask import Blueprint, current_app, g, make_response, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from pymongo.errors import PyMongoError

from ..config import Config
from ..conversations import settings as conversation_settings
from ..db import get_db
from ..i18n import current_locale
from ..products.service import size_order
from ..products.vocabulary import vocabulary
from ..returns.schemas import REASONS
from ..schemas import INTENTS
from ..stylists.schemas import TOPICS
from . import branding, words
from .bundle import widget_script
from .strings import script_strings

bp = Blueprint("widget", __name__)

LOADER = "aurora-embed.js"
LOADER_MAX_AGE = 300  # seconds: shops pick up a new loader within minutes
# What the loader says in its panel before the widget's page has come (or when it never does).
LOADER_WORDS = (_l("Loading…"), _l("Sorry, help can't load right now. Please try later."))
# The launcher's words when the store kept the default label (as the greeting: ours, translated).
LAUNCHER_LABEL = _l("Ask Aurora")  # Config.CONCIERGE_LAUNCHER_LABEL's default
VERSIONED_MAX_AGE = 31_536_000  # widget assets are fingerprinted with ?v=
DEMO_PRODUCTS = 8
FACETS_TTL = 300  # seconds
FACETS_RETRY = 30  # seconds before asking an unreachable database again
# Optional, pasted before the loader tag: calls made before the loader arrives are queued.
QUEUE_STUB = """<script>
  window.AuroraConcierge = window.AuroraConcierge || {q: []};
  ["open", "close", "on", "consent"].forEach(function (m) {
    AuroraConcierge[m] = AuroraConcierge[m] || function () {
      AuroraConcierge.q.push([m].concat([].slice.call(arguments)));
    };
  });
</script>"""
INTENT_LABELS = {
    "products": (_l("Find products"), _l("Search with filters, save favourites")),
    "order_tracking": (_l("Track an order"), _l("See where your parcel is")),
    "returns": (_l("Start a return"), _l("Choose items and a reason")),
    "capsules": (_l("Capsule collections"), _l("Browse and hold a capsule")),
    "shortlist": (_l("My shortlist"), _l("Items you saved")),
    "stylist": (_l("Book a stylist"), _l("Get personal advice")),
    "inspiration": (_l("Share inspiration"), _l("Upload a photo of a look")),
    "order_updates": (_l("Order updates"), _l("Get email or SMS updates")),
    "feedback": (_l("Rate this help"), _l("Tell us how we did")),
}
# Shopper-facing wording for the API's ids (return reasons, stylist topics).
WORDING = {"changed_mind": _l("Changed my mind"), "fit": _l("Fit and sizing"),
           "occasion": _l("An occasion"), "wardrobe": _l("My wardrobe"), "gift": _l("A gift"),
           "too_small": _l("Too small"), "too_large": _l("Too large"),
           "not_as_described": _l("Not as described"), "damaged": _l("Damaged"),
           "other": _l("Other")}


def options(ids: tuple[str, ...]) -> list[tuple[str, str]]:
    """Return (id, label) pairs for a select."""
    return [(i, WORDING[i]) for i in ids]


def _csp(frame_ancestors: tuple[str, ...], brand: branding.Brand | None = None,
         image_origins: tuple[str, ...] = ()) -> str:
    """Build a policy that allows only this origin's files and the given framers.

    A branded page adds the hash of its one inline style (the brand colours) and the
    image origins the store configured: nothing else inline, no other image host.
    """
    styles = ("'self'", brand.css_hash) if brand else ("'self'",)
    images = ("'self'", "data:", "blob:", *image_origins)
    return "; ".join((
        "default-src 'self'", "script-src 'self'", "style-src " + " ".join(styles),
        "img-src " + " ".join(images), "connect-src 'self'", "font-src 'self'",
        "frame-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'",
        "frame-ancestors " + " ".join(("'self'", *frame_ancestors)),
    ))


@cache
def _fingerprint(filename: str, mtime: float) -> str:
    data = (Path(current_app.static_folder) / filename).read_bytes()
    return hashlib.sha256(data).hexdigest()[:12]


def asset_url(filename: str) -> str:
    """Return the static URL of a widget asset, fingerprinted so it can be cached long."""
    path = Path(current_app.static_folder) / filename
    return url_for("static", filename=filename, v=_fingerprint(filename, path.stat().st_mtime))


def _facets() -> dict[str, list[str]]:
    """Return the catalogue's categories, colours and sizes for the filter menus.

    Kept for a few minutes per app: every first open renders /widget, the catalogue's
    facets change rarely.
    """
    expires, facets = current_app.extensions.get("widget_facets", (0.0, None))
    if facets is not None and time.monotonic() < expires:
        return facets
    try:
        products = get_db().products
        facets = {name: sorted(products.distinct(field), key=size_order)
                  for name, field in (("categories", "category"), ("colors", "colors"),
                                      ("sizes", "sizes"))}
        facets["currency"] = _currency(products)
        ttl = FACETS_TTL
    except PyMongoError:
        # The page still renders (the widget falls back); only one open in a while waits.
        facets, ttl = {"categories": [], "colors": [], "sizes": [],
                       "currency": current_app.config["CONCIERGE_CURRENCY"]}, FACETS_RETRY
    current_app.extensions["widget_facets"] = (time.monotonic() + ttl, facets)
    return facets


def _currency(products) -> str:
    """Return the catalogue's currency: its first live product's (a store sells in one),
    else the CONCIERGE_CURRENCY setting."""
    first = products.find_one({"archived": False}, {"_id": 0, "price.currency": 1},
                              sort=[("rank", 1)])  # archived_rank
    return ((first or {}).get("price") or {}).get("currency") \
        or current_app.config["CONCIERGE_CURRENCY"]


def _showcase() -> list[dict]:
    try:
        cursor = get_db().products.find(
            # Equality, not $ne: archived_rank then serves the sort by rank (every
            # product write sets archived).
            {"archived": False}, {"_id": 0, "sku": 1, "name": 1, "price": 1,
                                          "imageUrl": 1, "category": 1, "colors": 1},
        ).sort("rank", 1).limit(DEMO_PRODUCTS)
        return list(cursor)
    except PyMongoError:
        return []


@bp.app_template_filter("money")
def money(price: dict) -> str:
    """Format minor units as a price, e.g. $126.00."""
    symbol = {"USD": "$", "EUR": "€", "GBP": "£"}.get(price["currency"], "")
    return f"{symbol}{price['amount'] / 100:,.2f}" + ("" if symbol else f" {price['currency']}")


@bp.app_template_filter("pair")
def pair(value: str) -> tuple[str, str]:
    """Turn a catalogue value into a (value, label) option, named in the shopper's language."""
    return value, vocabulary(current_locale()).labels.get(value, value)


def _brand() -> branding.Brand:
    return branding.from_settings(current_app.config["CONCIERGE"])


@cache
def _loader(path: Path, mtime: float, settings: str) -> str:
    """Return the loader minified, with the store's launcher settings as its last argument."""
    head, call, _ = path.read_text(encoding="utf-8").rpartition("(window, document, ")
    return rjsmin.jsmin(f"{head}{call}{settings});\n", keep_bang_comments=False)


@bp.get("/static/" + LOADER)
def loader():
    """Serve the loader shops include: minified, launcher settings filled in, cached briefly."""
    path = Path(current_app.static_folder) / LOADER
    # The shopper's words (?locale=, else Accept-Language): one locale's, as the 2 KB budget allows.
    settings = {**_brand().loader_settings, "w": [str(word) for word in LOADER_WORDS],
                # What a screen reader calls the panel and its frame: the store's name.
                "title": words.for_locale(current_app.config["CONCIERGE"], current_locale()).name}
    if settings["label"] == Config.CONCIERGE_LAUNCHER_LABEL:  # the store kept the default
        settings["label"] = str(LAUNCHER_LABEL)
    script = _loader(path, path.stat().st_mtime, json.dumps(settings))
    response = current_app.response_class(script, mimetype="text/javascript")
    response.headers["Cache-Control"] = f"public, max-age={LOADER_MAX_AGE}"
    # The loader is included by other origins' pages.
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    response.vary.add("Accept-Language")
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/widget")
def widget():
    """Render the concierge widget shown inside the storefront's iframe."""
    # The loader's colour, label and position arrive as parameters (valid ones win over the
    # settings); its greeting and logo only from the parent page (static/widget/main.js).
    g.brand = branding.with_overrides(_brand(), request.args, branding.QUERY)
    g.store = words.for_locale(current_app.config["CONCIERGE"], current_locale())
    # Every open revalidates it (Cache-Control: no-cache); the ETag lets an
    # unchanged page answer 304 without its 28 KB.
    page = make_response(render_template(
        "widget.html", intents=[(i, *INTENT_LABELS[i]) for i in INTENTS], brand=g.brand,
        **_facets(), reasons=options(REASONS), topics=options(TOPICS),
        contact_url=current_app.config["CONCIERGE_CONTACT_URL"], asset_url=asset_url,
        image_origins=branding.image_origins(current_app.config["CONCIERGE"]),
        script_url=url_for("widget.script", v=widget_script()[1]), locale=current_locale(),
        strings=script_strings(), ask_label=_ask_label(g.brand), **_promise()))
    page.vary.add("Accept-Language")  # without ?locale= the page speaks the browser's language
    page.add_etag()
    return page.make_conditional(request)


def _ask_label(brand: branding.Brand) -> str:
    """Name the ask box as the launcher does: the store's label, else ours translated."""
    return str(LAUNCHER_LABEL) if brand.label == Config.CONCIERGE_LAUNCHER_LABEL else brand.label


def _promise() -> dict:
    """Return what the store says about its team's answers, in the page's language."""
    settings, locale = current_app.config["CONCIERGE"], current_locale()
    return {"reply_time": conversation_settings.reply_time(settings, locale),
            "office_hours": conversation_settings.office_hours(settings, locale)}


@bp.get("/widget.js")
def script():
    """Serve the widget's journey scripts joined in order, cached a year under its fingerprint."""
    data, version = widget_script()
    answer = make_response(data)
    answer.mimetype = "text/javascript"
    # A page from before a deploy may ask for an older fingerprint: answer, but never cache it long.
    fresh = request.args.get("v") == version
    answer.headers["Cache-Control"] = (f"public, max-age={VERSIONED_MAX_AGE}, immutable" if fresh
                                       else "no-cache")
    answer.add_etag()
    return answer.make_conditional(request)


@bp.get("/demo")
def demo():
    """Render a sample storefront that embeds the widget exactly as a shop would."""
    # Never from the Host header: a forged one would end up in the page's script tag.
    loader = current_app.config["CONCIERGE"].public_url + url_for("static", filename=LOADER)
    # /demo?color=%23ffeb3b&greeting=... shows a branding as a shop's data- attributes would.
    chosen = {key: parse(request.args.get(key)) for key, parse in branding.PARSERS.items()}
    chosen["position"] = chosen["position"] or "right"
    # /demo?locale=fr: the tag says so (data-locale), as a French shop's would, and the
    # loader's URL too: the loader's own words are negotiated from its request.
    chosen["locale"] = current_locale() if request.args.get("locale") else None
    if chosen["locale"]:
        loader += f"?locale={chosen['locale']}"
    attributes = Markup("").join(Markup(' data-{}="{}"').format(key, value)
                                 for key, value in chosen.items() if value)
    snippet = Markup('<script async src="{}"{}></script>').format(loader, attributes)
    return render_template("demo.html", snippet=snippet, stub=QUEUE_STUB, products=_showcase(),
                           asset_url=asset_url, position=chosen["position"])


@bp.after_request
def _page_headers(response):
    origins = current_app.config["CONCIERGE_ALLOWED_ORIGINS"]
    if request.endpoint == "widget.loader":
        return response
    framers = origins if request.endpoint == "widget.widget" else ()
    images = branding.image_origins(current_app.config["CONCIERGE"]) if framers else ()
    response.headers["Content-Security-Policy"] = _csp(framers, g.get("brand"), images)
    response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    response.headers.setdefault("Cache-Control", "no-cache")
    if request.endpoint == "widget.demo":
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


@bp.after_app_request
def _static_cache(response):
    """Give fingerprinted widget assets a long cache (the loader has its own view)."""
    if request.endpoint != "static" or response.status_code != 200:
        return response
    if request.args.get("v"):
        response.headers["Cache-Control"] = f"public, max-age={VERSIONED_MAX_AGE}, immutable"
    return response
