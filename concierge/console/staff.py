"""/console/staff: admins add and remove staff accounts (each change audited)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from . import accounts, audit, auth, hooks
from .schemas import StaffAccountSchema

bp = Blueprint("console_staff", __name__, url_prefix="/console/staff")
hooks.install(bp)


@bp.context_processor
def _section() -> dict:
    return {"section": "console_staff.page"}


def _form(schema) -> dict:
    data = request.form.to_dict()
    data.pop("csrf_token", None)  # checked by the console's guard
    return schema.load(data)


@bp.get("")
@auth.staff_only
def page():
    """List the accounts, with a form to add one."""
    return render_template("console/staff.html", accounts=accounts.listed(),
                           roles=accounts.ROLES, password_min=accounts.PASSWORD_MIN)


@bp.post("")
@auth.staff_only
def add():
    """Add an account."""
    data = _form(StaffAccountSchema())
    account = accounts.add(data["name"], data["email"], data["role"], data["password"])
    audit.record("staff.added", account["email"], role=account["role"], name=account["name"])
    flash(f"{account['name']} ({account['email']}) can sign in as {account['role']}.")
    return redirect(url_for("console_staff.page"), 303)


@bp.post("/remove")
@auth.staff_only
def remove():
    """Remove an account: its sessions end at their next request."""
    email = request.form.get("email", "")
    account = accounts.remove(email)
    audit.record("staff.removed", account["email"], role=account["role"])
    flash(f"{account['name']} ({account['email']}) can no longer sign in.")
    return redirect(url_for("console_staff.page"), 303)
