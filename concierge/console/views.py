"""/console pages: parse the form or filter, call the workflow, render or redirect."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from .. import limits
from ..db import get_db
from ..flags import get_flag
from ..inspiration import service as inspiration
from ..inspiration.schemas import DecisionSchema
from ..widget import branding, words
from . import accounts, audit, auth, hooks, overview, repository, workflow
from .schemas import (
    OUTBOX_STATUSES,
    AccountSignInSchema,
    FlagSchema,
    MoveSchema,
    OutboxQuery,
    OverviewQuery,
    ReturnsQuery,
    SignInSchema,
    TicketsQuery,
)

bp = Blueprint("console", __name__, url_prefix="/console")
hooks.install(bp)


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


def _sign_in_page(status: int = 200, **context):
    return render_template("console/sign_in.html", next=_next_page(),
                           accounts_first=bool(accounts.listed()), **context), status


@bp.get("/sign-in")
def sign_in():
    """Show the sign-in forms: a staff account's, and the admin token's."""
    return _sign_in_page()


@bp.post("/sign-in")
@limits.admin_failures_unlisted  # one budget with the admin API's wrong tokens
def sign_in_submit():
    """Start a session for the right token; refuse a wrong one with 401."""
    data = _form(SignInSchema())
    if not auth.token_matches(data["token"]):
        audit.record("console.sign_in_refused", data["staff"],
                     who={"token": "a wrong token", "staff": data["staff"]})
        return _sign_in_page(401, staff=data["staff"],
                             error="That token is not the admin token.")
    auth.sign_in(data["staff"])
    audit.record("console.signed_in", data["staff"])
    return redirect(_next_page(), 303)


@bp.post("/sign-in/account")
@limits.admin_failures_unlisted  # wrong passwords spend the wrong tokens' budget
def sign_in_account():
    """Start a session for a staff account's right password; refuse a wrong one with 401."""
    data = _form(AccountSignInSchema())
    account = accounts.check(data["email"], data["password"])
    if account is None:
        audit.record("console.sign_in_refused", data["email"],
                     who={"account": data["email"], "staff": ""})
        return _sign_in_page(401, email=data["email"],
                             account_error="That email and password do not match an account.")
    auth.sign_in(account["name"], account)
    audit.record("console.signed_in", account["email"])
    return redirect(_next_page(), 303)


@bp.post("/sign-out")
def sign_out():
    """End the session (every copy of its cookie, and every other session)."""
    if auth.signed_in():  # a visitor without a session ends nobody's
        audit.record("console.signed_out", auth.actor()["staff"])
        auth.sign_out()
    session.clear()
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
    doc = workflow.find_ticket(ticket_number)
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
    found = repository.list_returns(status, query["number"])
    return render_template("console/returns.html", status=status, number=query["number"],
                           statuses=workflow.RETURN_STATUSES, returns=found,
                           lines=workflow.order_lines(found), split=workflow.return_split())


@bp.get("/returns/<rma_number>")
@auth.staff_only
def return_detail(rma_number):
    """Show one return and the moves it allows."""
    doc = workflow.find_return(rma_number)
    return render_template("console/return.html", rma=doc,
                           lines=workflow.order_lines([doc]),
                           moves=workflow.RETURN_MOVES.get(doc["status"], ()))


@bp.post("/returns/<rma_number>/status")
@auth.staff_only
def move_return(rma_number):
    """Move a return to its next status (the shopper hears of it)."""
    form = _form(MoveSchema())
    workflow.move_return(rma_number, form["to"], form["reason"])
    return _done(f"Return {rma_number} is now {form['to']}.", "console.return_detail",
                 rma_number=rma_number)


@bp.post("/returns/<rma_number>/cancel-exchange")
@auth.staff_only
def cancel_exchange(rma_number):
    """Cancel a return's exchange: its stock goes back, the items are refunded instead."""
    workflow.cancel_exchange(rma_number)
    return _done(f"Return {rma_number}: exchange cancelled, stock given back.",
                 "console.return_detail", rma_number=rma_number)


@bp.route("/flag", methods=["GET", "POST"])
@auth.staff_only
def flag():
    """Show or change the feature flag and its canary."""
    flag = get_flag(get_db())
    if request.method == "POST":
        data = _form(FlagSchema())
        nobody = not data["enabled"] or data["canaryPercent"] == 0
        if nobody and workflow.shown(flag) and not data["confirm"]:
            return render_template("console/flag_off.html", flag=flag, form=data)
        workflow.set_flag(data["enabled"], data["canaryPercent"])
        return _done(workflow.flag_words(data["enabled"], data["canaryPercent"]),
                     "console.flag")
    settings = current_app.config["CONCIERGE"]
    return render_template("console/flag.html", flag=flag, shown=workflow.shown(flag),
                           brand=branding.from_settings(settings),
                           store=words.for_locale(settings, "en"),
                           contrast=branding.contrast)


@bp.get("/deliveries")
@auth.staff_only
def deliveries():
    """List outbox messages in one status, with the count of each."""
    status = _query(OutboxQuery())["status"]
    settings = current_app.config["CONCIERGE"]
    # What is not set up: its messages wait in the outbox until it is, then go.
    unset = [(what, variable, repository.waiting(channel))
             for what, variable, channel in (("Email", "CONCIERGE_SMTP_URL", "email"),
                                             ("Webhooks", "CONCIERGE_WEBHOOK_URL", "webhook"))
             if not getattr(settings, variable)]
    return render_template("console/deliveries.html", status=status, unset=unset,
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
