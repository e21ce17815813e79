"""The /widget and /demo pages and the static files' headers, through the Flask test client."""

from __future__ import annotations

import html
import json
import re
import socket
from html.parser import HTMLParser

import pytest

from concierge import create_app
from concierge.schemas import INTENTS

from ..support.words import LAUNCHER

SHOP = "https://shop.example"


class Scripts(HTMLParser):
    """Collect script tags, inline handlers and inline styles of a page."""

    def __init__(self):
        super().__init__()
        self.scripts, self.inline, self.handlers, self.styles, self.intents = [], [], [], [], []
        self.data = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("type") == "application/json":
            self.data.append(attrs)  # a data block (the widget's words): never executed
        elif tag == "script":
            self.scripts.append(attrs)
            self._in_script = True
        self.handlers += [k for k in attrs if k.startswith("on")]
        self.styles += [tag for k in attrs if k == "style"]
        if tag == "button" and "data-intent" in attrs:
            self.intents.append(attrs["data-intent"])

    def handle_endtag(self, tag):
        self._in_script = tag != "script" and self._in_script

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.inline.append(data)


def parse(body: bytes) -> Scripts:
    """Parse a page."""
    parser = Scripts()
    parser.feed(body.decode())
    return parser


def csp(response) -> dict[str, list[str]]:
    """Split a Content-Security-Policy header into its directives."""
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.mark.parametrize("path", ["/widget", "/widget?locale=fr", "/demo"])
def test_pages_have_a_strict_policy_and_no_inline_script_or_style(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    policy = csp(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    # The widget's one inline style (the brand colours, tests/widget/test_branding.py) is
    # allowed by its hash only; nothing else inline, no 'unsafe-inline'.
    assert policy["style-src"][0] == "'self'"
    assert [re.fullmatch(r"'sha256-[A-Za-z0-9+/]{43}='", s) is not None
            for s in policy["style-src"][1:]] == ([True] if path.startswith("/widget") else [])
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    page = parse(response.data)
    assert page.scripts
    assert all(s.get("src") for s in page.scripts)
    assert page.inline == []
    assert page.handlers == []
    assert page.styles == []
    assert [d.get("id") for d in page.data] == (["aurora-strings"] if "locale=fr" in path
                                                 else [])


class TestWithAllowedOrigins:
    @pytest.fixture
    def config(self, config):
        return {**config, "CONCIERGE_ALLOWED_ORIGINS": (SHOP, "https://www.shop.example")}

    def test_widget_may_be_framed_by_the_configured_storefronts(self, client):
        policy = csp(client.get("/widget"))
        assert policy["frame-ancestors"] == ["'self'", SHOP, "https://www.shop.example"]

    def test_demo_stays_framable_only_by_itself(self, client):
        response = client.get("/demo")
        assert csp(response)["frame-ancestors"] == ["'self'"]
        assert response.headers["X-Frame-Options"] == "SAMEORIGIN"


def test_widget_offers_the_nine_intents_in_order(client):
    assert parse(client.get("/widget").data).intents == list(INTENTS)


def test_widget_links_the_configured_contact_for_its_fallback(app, client):
    body = client.get("/widget").get_data(as_text=True)
    contact = app.config["CONCIERGE_CONTACT_URL"]
    assert f'data-contact-url="{contact}"' in body
    assert f'href="{contact}"' in body


def printed_snippet(body: str) -> str:
    """Return the snippet the demo page shows as text."""
    return html.unescape(re.search(r'<code id="snippet">(.*?)</code>', body, re.S).group(1))


class TestWithPublicUrl:
    @pytest.fixture
    def config(self, config):
        return {**config, "CONCIERGE_PUBLIC_URL": "https://concierge.example/"}

    def test_demo_embeds_exactly_the_snippet_it_prints(self, client):
        body = client.get("/demo", base_url="https://evil.example").get_data(as_text=True)
        printed = printed_snippet(body)
        assert printed == ('<script async src="https://concierge.example/static/aurora-embed.js" '
                           'data-position="right"></script>')
        assert body.count(printed) == 1  # once as markup, once escaped in the page text
        assert body.index(printed) > body.index('<code id="snippet">')


def test_demo_never_copies_the_host_header_into_the_loader_tag(client):
    body = client.get("/demo", headers={"Host": 'evil.example"><script>x()</script>'}
                      ).get_data(as_text=True)
    assert "evil.example" not in body
    assert printed_snippet(body) == ('<script async src="/static/aurora-embed.js" '
                                     'data-position="right"></script>')


def test_demo_shows_products_from_the_catalogue(client, db):
    body = client.get("/demo").get_data(as_text=True)
    top = db.products.find({}, {"name": 1}).sort("rank", 1).limit(8)
    for product in top:
        assert html.escape(product["name"]) in body


def test_loader_is_cached_briefly_and_fingerprinted_assets_long(client):
    with client.get("/static/aurora-embed.js") as loader:
        assert loader.status_code == 200
        assert loader.headers["Cache-Control"] == "public, max-age=300"
        assert loader.mimetype in {"text/javascript", "application/javascript"}
    body = client.get("/widget").get_data(as_text=True)
    css = re.search(r'href="(/static/widget\.css\?v=[0-9a-f]{12})"', body).group(1)
    with client.get(css) as asset:
        assert asset.headers["Cache-Control"] == "public, max-age=31536000, immutable"


LOADER_WORDS = {
    "en": ["Loading…", "Sorry, help can't load right now. Please try later."],
    "fr": ["Chargement…", "Désolé, l'aide est indisponible. Réessayez plus tard."],
    "de": ["Wird geladen…", "Die Hilfe lädt gerade nicht. Versuchen Sie es später."],
    "es": ["Cargando…", "Lo sentimos, la ayuda no carga ahora. Inténtalo más tarde."],
}


def _loader_settings(answer) -> dict:
    script = answer.get_data(as_text=True)
    return json.loads(script[script.rindex("(window,document,") + 17:script.rindex(");")])


@pytest.mark.parametrize(("asked", "locale"), [
    ({"headers": {"Accept-Language": "fr-CA, en;q=0.5"}}, "fr"),
    ({"headers": {"Accept-Language": "de-DE"}}, "de"),
    ({"query_string": {"locale": "es"}, "headers": {"Accept-Language": "fr"}}, "es"),
    ({"headers": {"Accept-Language": "pt-BR"}}, "en"),
    ({}, "en"),
])
def test_loader_speaks_the_shoppers_language_before_the_widget_comes(client, asked, locale):
    answer = client.get("/static/aurora-embed.js", **asked)
    assert _loader_settings(answer)["w"] == LOADER_WORDS[locale]
    assert _loader_settings(answer)["label"] == LAUNCHER[locale]  # the default label, translated
    assert "Accept-Language" in answer.vary  # a shared cache keeps one loader per language


@pytest.fixture
def unreachable_app(config):
    """An app whose MongoDB does not answer."""
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app = create_app({**config, "MONGO_URI": f"mongodb://127.0.0.1:{port}/?directConnection=true"
                      "&serverSelectionTimeoutMS=300"})
    yield app
    app.extensions["concierge_store"].close()


@pytest.mark.parametrize("path", ["/widget", "/demo"])
def test_pages_still_render_without_a_database_so_the_widget_can_fall_back(unreachable_app,
                                                                          path):
    response = unreachable_app.test_client().get(path)
    assert response.status_code == 200
    assert b"Contact customer care" in response.data or b"being restocked" in response.data


def test_widget_offers_every_return_reason_and_stylist_topic_of_the_api(client):
    from concierge.returns.schemas import REASONS
    from concierge.stylists.schemas import TOPICS

    body = client.get("/widget").get_data(as_text=True)
    for value in (*REASONS, *TOPICS):
        assert f'<option value="{value}">' in body


def test_pages_link_only_fingerprinted_scripts_and_styles(client):
    for path in ("/widget", "/demo"):
        page = client.get(path).get_data(as_text=True)
        linked = re.findall(r'<(?:script|link)[^>]+(?:src|href)="(/static/[^"]+|/widget\.js[^"]*)"',
                            page)
        # The loader keeps its stable URL: storefronts paste it (and it is cached briefly).
        assets = [url for url in linked if url != "/static/aurora-embed.js"]
        assert assets, path
        assert all(re.search(r"\?v=[0-9a-f]{12}$", url) for url in assets), assets


@pytest.mark.parametrize("encoding", [None, "br", "gzip"])
def test_widget_page_revalidates_with_its_etag(client, encoding):
    headers = {"Accept-Encoding": encoding} if encoding else {}
    first = client.get("/widget", headers=headers)
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "no-cache"
    etag = first.headers["ETag"]
    again = client.get("/widget", headers={**headers, "If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == etag


def test_widget_etag_changes_with_the_page(app, client):
    before = client.get("/widget").headers["ETag"]
    app.config["CONCIERGE_CONTACT_URL"] = "https://help.shop.example/other"
    changed = client.get("/widget", headers={"If-None-Match": before})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != before
