"""Branding: valid values win, invalid ones fall back, text on the brand colour stays AA."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import re

import pytest

from concierge import startup
from concierge.config import Config, ConfigError
from concierge.widget import branding

from .test_pages import csp

# colour, expected text on it, expected colour as text on the light surfaces
COLOURS = [
    pytest.param("#ffeb3b", "#000000", "#7a711c", id="light-yellow"),
    pytest.param("#1a237e", "#ffffff", "#1a237e", id="dark-indigo"),
    pytest.param("#e91e63", "#000000", "#d61c5b", id="mid-pink"),
    pytest.param("#777777", "#000000", "#6f6f6f", id="grey-white-just-fails"),
    pytest.param("#2e7d32", "#ffffff", "#2e7d32", id="green-white-passes"),
]


@pytest.mark.parametrize(("colour", "ink", "text"), COLOURS)
def test_text_on_the_brand_colour_keeps_aa_contrast(colour, ink, text):
    assert branding.ink(colour) == ink
    assert branding.contrast(colour, branding.ink(colour)) >= branding.AA


@pytest.mark.parametrize(("colour", "ink", "text"), COLOURS)
def test_the_brand_colour_as_text_is_darkened_only_as_far_as_needed(colour, ink, text):
    darker = branding.readable(colour)
    assert darker == text
    assert all(branding.contrast(darker, s) >= branding.AA for s in branding.SURFACES)
    if darker != colour:  # changed only because the colour itself did not read
        assert min(branding.contrast(colour, s) for s in branding.SURFACES) < branding.AA


@pytest.mark.parametrize(("a", "b", "ratio"), [
    ("#ffffff", "#000000", 21.0), ("#777777", "#ffffff", 4.48), ("#1a237e", "#ffffff", 13.24),
    ("#ffeb3b", "#000000", 17.2),
])
def test_contrast_follows_the_wcag_formula(a, b, ratio):
    assert branding.contrast(a, b) == pytest.approx(ratio, abs=0.01)
    assert branding.contrast(b, a) == branding.contrast(a, b)


@pytest.mark.parametrize(("raw", "expected"), [
    ("#FFEB3B", "#ffeb3b"), ("ffeb3b", "#ffeb3b"), ("#fe3", "#ffee33"), (" #1a237e ", "#1a237e"),
    ("red", None), ("#ffeb3", None), ("#ffeb3bff", None), ("javascript:alert(1)", None),
    ("#12345g", None), ("", None), (None, None), ("#fff;}body{x:y", None),
])
def test_colour_accepts_hex_only(raw, expected):
    assert branding.color(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("https://cdn.shop.example/logo.png", "https://cdn.shop.example/logo.png"),
    ("https://cdn.shop.example:8443/a/b.svg?v=2", "https://cdn.shop.example:8443/a/b.svg?v=2"),
    ("/static/img/logo.svg", "/static/img/logo.svg"),
    ("http://cdn.shop.example/logo.png", None),
    ("//cdn.shop.example/logo.png", None),
    ("javascript:alert(1)", None),
    ("data:image/svg+xml,<svg onload=alert(1)>", None),
    ("https://user:pw@cdn.shop.example/logo.png", None),
    ('https://cdn.shop.example/x"onerror="alert(1)', None),
    ("https://cdn.shop.example/<script>", None),
    ("https://cdn.shop.example/" + "a" * 600, None),
    ("https:///logo.png", None),
    ("https://cdn.shop.example; script-src *", None),
])
def test_logo_is_an_https_url_or_a_same_origin_path(raw, expected):
    assert branding.logo(raw) == expected


@pytest.mark.parametrize(("raw", "limit", "expected"), [
    ("  Need   a hand? ", 40, "Need a hand?"),
    ("Bonjour\u202e!", 40, "Bonjour!"),
    ("line\nbreak\x00", 40, "line break"),
    ("x" * 41, 40, None),
    ("   ", 40, None),
])
def test_label_and_greeting_are_one_line_of_plain_text(raw, limit, expected):
    assert branding.text(raw, limit) == expected


def test_valid_data_attributes_win_and_invalid_ones_fall_back_to_the_settings():
    settings = Config(CONCIERGE_BRAND_COLOR="#1a237e", CONCIERGE_GREETING="Hello from the shop",
                      CONCIERGE_LOGO_URL="/static/logo.svg", CONCIERGE_POSITION="left")
    default = branding.from_settings(settings)
    brand = branding.with_overrides(default, {"color": "#ffeb3b", "greeting": "",
                                              "logo": "javascript:x", "position": "middle",
                                              "label": "Help me"})
    assert brand == branding.Brand(color="#ffeb3b", label="Help me",
                                   greeting="Hello from the shop", logo="/static/logo.svg",
                                   position="left")


@pytest.mark.parametrize(("name", "raw"), [
    ("CONCIERGE_BRAND_COLOR", "purple"), ("CONCIERGE_BRAND_COLOR", ""),
    ("CONCIERGE_LAUNCHER_LABEL", ""), ("CONCIERGE_LAUNCHER_LABEL", "x" * 41),
    ("CONCIERGE_GREETING", "y" * 81), ("CONCIERGE_LOGO_URL", "http://shop.example/logo.png"),
    ("CONCIERGE_POSITION", "top"),
])
def test_an_invalid_branding_setting_refuses_to_start(name, raw):
    with pytest.raises(ConfigError, match=name):
        startup.load(environ={name: raw})


def test_branding_settings_are_read_from_the_environment():
    brand = branding.from_settings(Config.from_env({
        "CONCIERGE_BRAND_COLOR": "#FE3", "CONCIERGE_LAUNCHER_LABEL": "Need help?",
        "CONCIERGE_GREETING": "Hi!", "CONCIERGE_LOGO_URL": "https://cdn.shop.example/l.png",
        "CONCIERGE_POSITION": "left"}))
    assert brand == branding.Brand(color="#ffee33", label="Need help?", greeting="Hi!",
                                   logo="https://cdn.shop.example/l.png", position="left")


def style_of(body: str) -> str:
    """Return the text of the page's one inline style element."""
    (style,) = re.findall(r"<style>(.*?)</style>", body, re.S)
    return style


@pytest.mark.parametrize(("colour", "ink", "text"), COLOURS)
def test_widget_page_shows_the_colour_and_its_policy_allows_only_that_style(client, colour,
                                                                           ink, text):
    response = client.get("/widget", query_string={"color": colour})
    style = style_of(response.get_data(as_text=True))
    assert style == f":root{{--brand:{colour};--brand-ink:{ink};--brand-text:{text}}}"
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert csp(response)["style-src"] == ["'self'", f"'sha256-{digest}'"]


@pytest.mark.parametrize("query", [
    {"color": "red"}, {"color": "</style><script>alert(1)</script>"},
    {"color": "#fff;--x:1"}, {"logo": "javascript:alert(1)"}, {"greeting": "\x00"},
    {"logo": "https://evil.example'; script-src *"}, {"position": "<b>"},
])
def test_invalid_branding_parameters_fall_back_to_the_settings_instead_of_failing(client,
                                                                                  query):
    response = client.get("/widget", query_string=query)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert style_of(body) == ":root{--brand:#3b1f6e;--brand-ink:#ffffff;--brand-text:#3b1f6e}"
    assert 'class="logo"' not in body
    assert "How can we help?" in body
    assert csp(response)["img-src"] == ["'self'", "data:", "blob:"]
    assert "alert(1)" not in body


SPOOF = {"greeting": "Your account is locked. Call +1 900 555 0100",
         "logo": "https://evil.test/x.png"}


def test_a_bare_link_cannot_put_a_greeting_or_a_logo_on_the_concierges_origin(client):
    response = client.get("/widget", query_string=SPOOF)
    body = response.get_data(as_text=True)
    assert "account is locked" not in body
    assert "evil.test" not in body
    assert '<h2 id="menu-title" tabindex="-1">How can we help?</h2>' in body
    assert 'class="logo"' not in body
    assert csp(response)["img-src"] == ["'self'", "data:", "blob:"]


def test_img_src_holds_only_the_origins_the_store_configured(config):
    from concierge import create_app

    app = create_app({**config, "CONCIERGE_LOGO_URL": "https://cdn.shop.example/logo.png",
                      "CONCIERGE_ALLOWED_ORIGINS": ("https://shop.example",
                                                    "http://localhost:3000")})
    response = app.test_client().get("/widget", query_string=SPOOF)
    assert csp(response)["img-src"] == ["'self'", "data:", "blob:", "https://cdn.shop.example",
                                        "https://shop.example"]
    body = response.get_data(as_text=True)
    assert '<img class="logo" src="https://cdn.shop.example/logo.png"' in body
    assert 'data-image-origins="https://cdn.shop.example https://shop.example"' in body


class TestWithBrandSettings:
    @pytest.fixture
    def config(self, config):
        return {**config, "CONCIERGE_BRAND_COLOR": "#ffeb3b", "CONCIERGE_LAUNCHER_LABEL": "Help",
                "CONCIERGE_POSITION": "left", "CONCIERGE_GREETING": "Hello, shopper"}

    def test_the_loader_carries_the_launcher_settings(self, client):
        script = client.get("/static/aurora-embed.js").get_data(as_text=True)
        assert script.endswith(
            '(window,document,{"color":"#ffeb3b","label":"Help","position":"left",'
            '"w":["Loading\\u2026","Sorry, help can\'t load right now. Please try later."],'
            '"title":"Aurora Concierge"});')

    def test_the_stores_own_label_is_shown_as_written_in_every_language(self, client):
        script = client.get("/static/aurora-embed.js", headers={"Accept-Language": "fr"})
        assert '"label":"Help"' in script.get_data(as_text=True)

    def test_the_widget_uses_the_settings_unless_the_page_says_otherwise(self, client):
        body = client.get("/widget").get_data(as_text=True)
        assert "--brand:#ffeb3b;--brand-ink:#000000" in style_of(body)
        assert ">Hello, shopper</h2>" in body
        body = client.get("/widget", query_string={"color": "#1a237e", "greeting": "Bonjour"}
                          ).get_data(as_text=True)
        assert "--brand:#1a237e;--brand-ink:#ffffff" in style_of(body)
        assert ">Hello, shopper</h2>" in body  # a greeting only by the parent page's message


def test_the_loader_is_served_minified_with_an_etag(client):
    first = client.get("/static/aurora-embed.js")
    script = first.get_data(as_text=True)
    assert script.startswith("(function(w,d,B){")
    assert "\n  " not in script  # indentation and comments are stripped
    assert script.endswith('(window,document,{"color":"#3b1f6e","label":"Ask Aurora",'
                           '"position":"right","w":["Loading\\u2026",'
                           '"Sorry, help can\'t load right now. Please try later."],'
                           '"title":"Aurora Concierge"});')
    again = client.get("/static/aurora-embed.js", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("language", ["en", "fr", "de", "es"])  # each carries its own words
@pytest.mark.parametrize("label", ["Questions? Chat with our concierge 24/7!",
                                   "Besoin d'aide ? Parlez à notre styliste"])
def test_the_loader_stays_under_two_kilobytes_gzipped_with_the_longest_label(config, label,
                                                                            language):
    from concierge import create_app

    app = create_app({**config, "CONCIERGE_LAUNCHER_LABEL": label, "CONCIERGE_POSITION": "left",
                      "CONCIERGE_BRAND_COLOR": "#ffeb3b"})
    script = app.test_client().get("/static/aurora-embed.js",
                                   headers={"Accept-Language": language}).get_data()
    assert len(label) >= branding.LABEL_MAX - 1
    assert json.dumps(label).encode() in script
    assert len(gzip.compress(script, compresslevel=6)) <= 2 * 1024  # tests/browser/test_budgets.py


def test_demo_prints_valid_branding_parameters_as_data_attributes_escaped(client):
    from .test_pages import printed_snippet

    body = client.get("/demo", query_string={"color": "#FE3", "greeting": '"><script>x()</script>',
                                             "logo": "javascript:x", "position": "left"}
                      ).get_data(as_text=True)
    assert printed_snippet(body) == (
        '<script async src="/static/aurora-embed.js" data-color="#ffee33" '
        'data-greeting="&#34;&gt;&lt;script&gt;x()&lt;/script&gt;" data-position="left"></script>')
    assert "<script>x()" not in body
    assert "bottom left" in body
