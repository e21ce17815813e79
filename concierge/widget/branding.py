"""The store's branding: colour, launcher label, greeting, logo and position, kept readable.

The WCAG 2 contrast formula is a few lines, and the loader has to carry the same rule
in JavaScript anyway; a library for it would add a dependency for no less code.
"""

from __future__ import annotations

import base64
import hashlib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

from ..config import ConfigError

AA = 4.5  # WCAG 2 AA, normal text
WHITE, BLACK = "#ffffff", "#000000"
# Where the brand colour is used as text or lines: the widget's white and soft surfaces.
SURFACES = ("#ffffff", "#f5f3f9")
LABEL_MAX, GREETING_MAX, LOGO_MAX = 40, 80, 500
POSITIONS = ("right", "left")
_HEX = re.compile(r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
# A host name or IPv4 address and an optional port: it goes into the CSP header verbatim.
_HOST = re.compile(r"^[A-Za-z0-9.-]+(:[0-9]{1,5})?$")
# What RFC 3986 allows unescaped in a URL: no spaces, quotes, angle brackets or backslashes.
_URL_CHARS = re.compile(r"^[A-Za-z0-9._~%!$&'()*+,;=:@/?#-]*$")


def color(value: str | None) -> str | None:
    """Return the value as #rrggbb lower case, or None when it is not a hex colour."""
    match = _HEX.match((value or "").strip())
    if not match:
        return None
    digits = match.group(1).lower()
    return "#" + ("".join(c * 2 for c in digits) if len(digits) == 3 else digits)


def luminance(hex_color: str) -> float:
    """Return the WCAG relative luminance of #rrggbb."""
    def linear(channel: int) -> float:
        v = channel / 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


def contrast(a: str, b: str) -> float:
    """Return the WCAG contrast ratio of two #rrggbb colours (1 to 21)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@cache
def ink(background: str) -> str:
    """Pick the text colour for the brand colour: white when it reaches AA, else black.

    One of the two always does (black gives at least 4.58:1 wherever white is below 4.5),
    so the colour behind the text never needs changing; the loader applies the same rule.
    """
    return WHITE if contrast(WHITE, background) >= AA else BLACK


@cache
def readable(foreground: str, surfaces: tuple[str, ...] = SURFACES) -> str:
    """Darken the brand colour, the least needed, until it reads as text on every surface."""
    if all(contrast(foreground, s) >= AA for s in surfaces):
        return foreground
    r, g, b = (int(foreground[i:i + 2], 16) for i in (1, 3, 5))
    for step in range(1, 101):  # scale towards black by 1 % a step; black always passes
        k = 1 - step / 100
        darker = f"#{round(r * k):02x}{round(g * k):02x}{round(b * k):02x}"
        if all(contrast(darker, s) >= AA for s in surfaces):
            return darker
    return BLACK


def text(value: str | None, limit: int) -> str | None:
    """Return one line of plain text (control characters dropped, spaces folded), or None."""
    if not value:
        return None
    folded = " ".join(value.split())  # line breaks and tabs become single spaces
    line = "".join(c for c in folded if not unicodedata.category(c).startswith("C")).strip()
    return line if 0 < len(line) <= limit else None


def logo(value: str | None) -> str | None:
    """Return an https URL or a same-origin path for the logo, or None.

    No other scheme (javascript:, data:, http:), no credentials, quotes or spaces:
    the value ends up in an img src and its origin in the page's CSP img-src.
    """
    value = (value or "").strip()
    if not value or len(value) > LOGO_MAX or not _URL_CHARS.match(value):
        return None
    if value.startswith("/") and not value.startswith("//"):
        return value
    parts = urlsplit(value)
    if parts.scheme != "https" or "@" in parts.netloc or not _HOST.match(parts.netloc):
        return None
    return value


def position(value: str | None) -> str | None:
    """Return left or right, or None."""
    return value if value in POSITIONS else None


@dataclass(frozen=True)
class Brand:
    """The branding one widget page shows, every value already valid."""

    color: str
    label: str
    greeting: str | None
    logo: str | None
    position: str

    @property
    def ink(self) -> str:
        """Text colour on the brand colour (launcher, header, primary buttons)."""
        return ink(self.color)

    @property
    def text(self) -> str:
        """The brand colour as links and outlines on the widget's light surfaces."""
        return readable(self.color)

    @property
    def css(self) -> str:
        """Return the page's brand custom properties (values are validated hex colours)."""
        return f":root{{--brand:{self.color};--brand-ink:{self.ink};--brand-text:{self.text}}}"

    @property
    def css_hash(self) -> str:
        """Return the CSP source that allows exactly this inline style."""
        digest = hashlib.sha256(self.css.encode()).digest()
        return "'sha256-" + base64.b64encode(digest).decode() + "'"

    @property
    def logo_origin(self) -> str | None:
        """Return the logo's origin when it is on another host (for CSP img-src)."""
        if not self.logo or self.logo.startswith("/"):
            return None
        parts = urlsplit(self.logo)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def loader_settings(self) -> dict:
        """Return what the loader needs before any request: the launcher's look and place."""
        return {"color": self.color, "label": self.label, "position": self.position}


PARSERS = {
    "color": color,
    "label": lambda v: text(v, LABEL_MAX),
    "greeting": lambda v: text(v, GREETING_MAX),
    "logo": logo,
    "position": position,
}
SETTINGS = {"color": "CONCIERGE_BRAND_COLOR", "label": "CONCIERGE_LAUNCHER_LABEL",
            "greeting": "CONCIERGE_GREETING", "logo": "CONCIERGE_LOGO_URL",
            "position": "CONCIERGE_POSITION"}
REQUIRED = ("color", "label", "position")  # the greeting and the logo are optional
# What /widget takes from its own URL: looks and place, nothing a shopper reads as the
# store's word. The greeting and the logo come from the loader's attributes through the
# parent page (postMessage), so a bare link to /widget cannot put words or images there.
QUERY = ("color", "label", "position")


def from_settings(settings) -> Brand:
    """Build the store's default branding from the settings (checked at start-up)."""
    return Brand(**{key: PARSERS[key](getattr(settings, name)) for key, name in SETTINGS.items()})


def with_overrides(default: Brand, values: Mapping[str, str],
                   keys: tuple[str, ...] = tuple(SETTINGS)) -> Brand:
    """Let valid values of these keys (the loader's data- attributes) win; ignore the rest."""
    chosen = {key: PARSERS[key](values.get(key)) for key in keys}
    return Brand(**{key: chosen.get(key) or getattr(default, key) for key in SETTINGS})


def image_origins(settings) -> tuple[str, ...]:
    """Return the other origins the widget may show images from: those the store set.

    The configured logo's origin and the https origins of CONCIERGE_ALLOWED_ORIGINS
    (the store's own sites, where a data-logo would live); nothing a URL can add.
    """
    logo = from_settings(settings).logo_origin
    found = [logo] if logo else []
    found += [o for o in settings.CONCIERGE_ALLOWED_ORIGINS if o.startswith("https://")]
    return tuple(dict.fromkeys(found))


def check(settings) -> None:
    """Refuse to start on a branding setting that would be ignored."""
    for key, name in SETTINGS.items():
        raw = getattr(settings, name)
        if (raw or key in REQUIRED) and PARSERS[key](raw) is None:
            raise ConfigError(f"{name}: {raw!r} is not valid; see the README's variable table.")
