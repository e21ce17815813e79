"""The small server-rendered pages a shopper reaches from her emails."""

from __future__ import annotations

from contextlib import nullcontext

from flask import current_app, make_response, render_template
from flask_babel import force_locale

from .extensions import limiter
from .i18n import current_locale

# The link itself is the key to the hold or subscription: never cached, never
# indexed, never sent on as a Referer, never framed.
HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
                               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
}


# The same per-client budgets as the API's reads and writes (shared scopes),
# applied directly: these pages are not API operations for the OpenAPI document.
reads = limiter.shared_limit(lambda: current_app.config["READ_LIMIT_PER_CLIENT"],
                             scope="reads")
writes = limiter.shared_limit(lambda: current_app.config["WRITE_LIMIT_PER_CLIENT"],
                              scope="writes")
unsubscribes = limiter.shared_limit(
    lambda: current_app.config["UNSUBSCRIBE_LIMIT_PER_CLIENT"], scope="unsubscribes")


def page(template: str, status: int = 200, locale: str | None = None, **context):
    """Render a private page with its headers, in the record's locale (else the browser's)."""
    with force_locale(locale) if locale else nullcontext():
        html = render_template(f"pages/{template}", locale=current_locale(), **context)
    response = make_response(html, status)
    response.headers.update(HEADERS)
    return response
