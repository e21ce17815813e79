"""/console pages: parse the form or filter, call the workflow, render or redirect."""

from __future__ import annotations

import time

from flask import (
    Blueprint,
    Response,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_wtf.csrf import CSRFError
from marshmallow import ValidationError
from werkzeug.exceptions import TooManyRequests

from .. import limits
from ..db import get_db
from ..errors import ConciergeError, flatten
from ..extensions import csrf, limiter
from ..flags import get_flag
from ..inspiration import service as inspiration
from ..inspiration.schemas import DecisionSchema
from . import audit, auth, overview, repository, workflow
from .schemas import (
    OUTBOX_STATUSES,
    FlagSchema,
    MoveSchema,
    OutboxQuery,
    OverviewQuery,
    ReturnsQuery,
    SignInSchema,
    TicketsQuery,
)

bp = Blueprint("console", __name__, url_prefix="/console")

CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")


SECTIONS = {"console.ticket": "console.tickets", "console.return_detail": "console.returns"}


@bp.context_processor
def _context() -> dict:
    return {"signed_in": auth.signed_in(),
            "section": SECTIONS.get(request.endpoint, request.endpoint)}


@bp.app_template_filter("when")
def when(value) -> str:
    """Format a stored time for staff: 2026-11-26 09:41 UTC."""
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else ""


@bp.app_template_filter("humanise")
def humanise(value: str) -> str:
    """Turn an id such as changed_mind into Changed mind."""
    return str(value or "").replace("_", " ").capitalize()


@bp.before_request
def _guard() -> None:
    auth.require_console()
    if request.method == "POST":
        csrf.protect()  # 400 without a valid token


@bp.after_request
def _headers(response):
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    return response


def _form(schema):
    fields = request.form.to_dict()
    fields.pop("csrf_token", None)  # checked in _guard already
    return schema.load(fields)


def _query(schema):
    return schema.load(request.args.to_dict())


def _done(message: str, endpoint: str, **values):
    flash(message)
    return redirect(url_for(endpoint, **values), 303)


def _next_page() -> str:
    target = request.args.get("next", "")
    return target if target.startswith("/console") else url_for("console.home")


@bp.get("/sign-in")
def sign_in():
    """Show the sign-in form."""
    return render_template("console/sign_in.html", next=_next_page())


@bp.post("/sign-in")
@limits.admin_failures_unlisted  # one budget with the admin API's wrong tokens
def sign_in_submit():
    """Start a session for the right token; refuse a wrong one with 401."""
    data = _form(SignInSchema())
    if not auth.token_matches(data["token"]):
        return render_template("console/sign_in.html", next=_next_page(),
                               staff=data["staff"],
                               error="That token is not the admin token."), 401
    auth.sign_in(data["staff"])
    audit.record("console.signed_in", data["staff"])
    return redirect(_next_page(), 303)


@bp.post("/sign-out")
def sign_out():
    """End the session."""
    auth.sign_out()
    flash("You are signed out.")
    return redirect(url_for("console.sign_in"), 303)


@bp.get("")
@auth.staff_only
def home():
    """Show the overview charts."""
    return render_template("console/overview.html", periods=overview.PERIODS,
                           **overview.build(_query(OverviewQuery())["days"]))


@bp.get("/moderation")
@auth.staff_only
def moderation():
    """List uploads waiting for a decision."""
    return render_template("console/moderation.html",
                           uploads=inspiration.queue("pending_review", 50))


@bp.post("/moderation/<upload_id>")
@auth.staff_only
def moderate(upload_id):
    """Approve or reject one upload."""
    decision = _form(DecisionSchema())["decision"]
    workflow.moderate(upload_id, decision)
    return _done(f"Upload {upload_id} {decision}.", "console.moderation")


@bp.get("/moderation/<upload_id>/image")
@auth.staff_only
def image(upload_id):
    """Return an upload's stored image, to signed-in staff only."""
    content_type, data = inspiration.image(upload_id)
    return Response(data, mimetype=content_type, headers={
        "Content-Security-Policy": "default-src 'none'; sandbox"})


@bp.get("/tickets")
@auth.staff_only
def tickets():
    """List stylist tickets."""
    status = _query(TicketsQuery())["status"] or None
    return render_template("console/tickets.html", status=status,
                           statuses=workflow.TICKET_STATUSES,
                           tickets=repository.list_tickets(status))


@bp.get("/tickets/<ticket_number>")
@auth.staff_only
def ticket(ticket_number):
    """Show one ticket and the moves it allows."""
    doc = repository.find_ticket(ticket_number)
    if doc is None:
        raise ConciergeError(f"No ticket has the number {ticket_number}.", status=404,
                             code="not_found", title="Ticket not found")
    return render_template("console/ticket.html", ticket=doc,
                           moves=workflow.TICKET_MOVES.get(doc["status"], ()))


@bp.post("/tickets/<ticket_number>/status")
@auth.staff_only
def move_ticket(ticket_number):
    """Move a ticket to its next status."""
    to = _form(MoveSchema())["to"]
    workflow.move_ticket(ticket_number, to)
    return _done(f"Ticket {ticket_number} is now {to}.", "console.ticket",
                 ticket_number=ticket_number)


@bp.get("/returns")
@auth.staff_only
def returns():
    """List returns, filtered by status or by order or RMA number."""
    query = _query(ReturnsQuery())
    status = query["status"] or None
    return render_template("console/returns.html", status=status, number=query["number"],
                           statuses=workflow.RETURN_STATUSES,
                           returns=repository.list_returns(status, query["number"]))


@bp.get("/returns/<rma_number>")
@auth.staff_only
def return_detail(rma_number):
    """Show one return and the moves it allows."""
    doc = repository.find_return(rma_number)
    if doc is None:
        raise ConciergeError(f"No return has the number {rma_number}.", status=404,
                             code="not_found", title="Return not found")
    return render_template("console/return.html", rma=doc,
                           moves=workflow.RETURN_MOVES.get(doc["status"], ()))


@bp.post("/returns/<rma_number>/status")
@auth.staff_only
def move_return(rma_number):
    """Move a return to its next status (the shopper hears of it)."""
    to = _form(MoveSchema())["to"]
    workflow.move_return(rma_number, to)
    return _done(f"Return {rma_number} is now {to}.", "console.return_detail",
                 rma_number=rma_number)


@bp.route("/flag", methods=["GET", "POST"])
@auth.staff_only
def flag():
    """Show or change the feature flag and its canary."""
    if request.method == "POST":
        data = _form(FlagSchema())
        workflow.set_flag(data["enabled"], data["canaryPercent"])
        state = "on" if data["enabled"] else "off"
        return _done(f"The real endpoints are {state}, canary {data['canaryPercent']} %.",
                     "console.flag")
    return render_template("console/flag.html", flag=get_flag(get_db()))


@bp.get("/deliveries")
@auth.staff_only
def deliveries():
    """List outbox messages in one status, with the count of each."""
    status = _query(OutboxQuery())["status"]
    return render_template("console/deliveries.html", status=status,
                           counts=repository.outbox_counts(OUTBOX_STATUSES),
                           messages=repository.list_outbox(status))


@bp.post("/deliveries/<message_id>/retry")
@auth.staff_only
def retry(message_id):
    """Queue a failed delivery again."""
    workflow.retry_delivery(message_id)
    return _done(f"Delivery {message_id} is queued again.", "console.deliveries")


@bp.get("/audit")
@auth.staff_only
def audit_trail():
    """List the latest staff actions."""
    return render_template("console/audit.html", entries=audit.recent())


def _error_page(status: int, title: str, detail: str | None, errors: dict | None = None,
                headers: dict | None = None):
    referrer = request.referrer or ""
    back = referrer if referrer.startswith(request.host_url + "console") \
        else url_for("console.home")
    body = render_template("console/error.html", status=status, title=title,
                           detail=detail, errors=errors or {}, back=back)
    return body, status, headers or {}


@bp.errorhandler(ConciergeError)
def _domain_error(error: ConciergeError):
    return _error_page(error.status, error.title, error.detail, headers=error.headers)


@bp.errorhandler(ValidationError)
def _invalid(error: ValidationError):
    return _error_page(422, "Some values are not valid", None, flatten(error.messages))


@bp.errorhandler(CSRFError)
def _csrf(error: CSRFError):
    return _error_page(400, "The form could not be accepted",
                       f"{error.description} Go back, reload the page and send it again.")


@bp.errorhandler(TooManyRequests)
def _too_many(error: TooManyRequests):
    return _error_page(429, "Too many wrong tokens",
                       "Sign-in is paused for this address after several wrong tokens; "
                       "try again in a few minutes.",
                       headers={"Retry-After": str(_retry_after())})


def _retry_after() -> int:
    current = limiter.current_limit
    return max(1, current.reset_at - int(time.time())) if current else 60
