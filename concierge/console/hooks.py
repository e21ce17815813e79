"""What every console page shares: the guard, headers, template helpers, error pages."""

from __future__ import annotations

import time

from babel.numbers import format_currency
from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from marshmallow import ValidationError
from werkzeug.exceptions import TooManyRequests

from ..errors import ConciergeError, flatten
from ..extensions import csrf, limiter
from . import auth

CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")


SECTIONS = {"console.ticket": "console.tickets", "console.return_detail": "console.returns"}


def _context() -> dict:
    return {"signed_in": auth.signed_in(), "allowed": auth.allowed,
            "section": SECTIONS.get(request.endpoint, request.endpoint)}


def when(value) -> str:
    """Format a stored time for staff: 2026-11-26 09:41 UTC."""
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else ""


def humanise(value: str) -> str:
    """Turn an id such as changed_mind into Changed mind."""
    return str(value or "").replace("_", " ").capitalize()


def money(value) -> str:
    """Format minor units (or {amount, currency}) for staff: $139.00."""
    if value is None:
        return "—"
    if isinstance(value, dict):
        amount, currency = value["amount"], value["currency"]
    else:
        amount, currency = value, current_app.config["CONCIERGE_CURRENCY"]
    return format_currency(amount / 100, currency, locale="en")


def return_amount(items: list[dict], lines: dict, order_number: str) -> dict | None:
    """Return what returned items cost on their order (price x quantity), or None."""
    total, currency = 0, None
    for item in items:
        price = (lines.get((order_number, item["sku"])) or {}).get("price")
        if not price:
            return None
        total += price["amount"] * item["quantity"]
        currency = price["currency"]
    return {"amount": total, "currency": currency} if currency else None


def _guard():
    auth.require_console()
    if request.method == "POST":
        csrf.protect()  # 400 without a valid token
    if auth.signed_in() and not auth.allowed(request.endpoint):
        if request.endpoint == "console.home":  # an agent's start page is the inbox
            return redirect(url_for("console_inbox.inbox"))
        return _error_page(403, "Not for your role",
                           "Agents use the inbox, returns and moderation; ask an admin for "
                           "the rest.")
    return None


def _headers(response):
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    return response


def _error_page(status: int, title: str, detail: str | None, errors: dict | None = None,
                headers: dict | None = None):
    referrer = request.referrer or ""
    back = referrer if referrer.startswith(request.host_url + "console") \
        else url_for("console.home")
    body = render_template("console/error.html", status=status, title=title,
                           detail=detail, errors=errors or {}, back=back)
    return body, status, headers or {}


def _domain_error(error: ConciergeError):
    return _error_page(error.status, error.title, error.detail, headers=error.headers)


def _invalid(error: ValidationError):
    return _error_page(422, "Some values are not valid", None, flatten(error.messages))


def _csrf(error: CSRFError):
    return _error_page(400, "The form could not be accepted",
                       f"{error.description} Go back, reload the page and send it again.")


def _too_many(error: TooManyRequests):
    return _error_page(429, "Too many wrong tokens",
                       "Sign-in is paused for this address after several wrong tokens; "
                       "try again in a few minutes.",
                       headers={"Retry-After": str(_retry_after())})


def _retry_after() -> int:
    current = limiter.current_limit
    return max(1, current.reset_at - int(time.time())) if current else 60


def install(bp: Blueprint) -> None:
    """Register the shared behaviour on the console's blueprint."""
    bp.context_processor(_context)
    bp.add_app_template_filter(when, "when")
    bp.add_app_template_filter(humanise, "humanise")
    bp.add_app_template_filter(money, "money")
    bp.add_app_template_filter(return_amount, "return_amount")
    bp.before_request(_guard)
    bp.after_request(_headers)
    bp.register_error_handler(ConciergeError, _domain_error)
    bp.register_error_handler(ValidationError, _invalid)
    bp.register_error_handler(CSRFError, _csrf)
    bp.register_error_handler(TooManyRequests, _too_many)
