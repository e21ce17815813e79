"""/console/privacy: find, export and (after a confirmation) erase a shopper's data."""

from __future__ import annotations

import json

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from marshmallow import fields

from ..console import auth, hooks
from . import service
from .registry import HOLDINGS
from .schemas import ExportSchema, ShopperSchema

bp = Blueprint("console_privacy", __name__, url_prefix="/console/privacy")
hooks.install(bp)


@bp.context_processor
def _section() -> dict:
    return {"section": "console_privacy.page"}  # every step lights the Privacy tab


class EraseFormSchema(ShopperSchema):
    """The erase form: the email, and `confirm` once staff have seen what goes."""

    confirm = fields.Boolean(load_default=False)


def _form(schema) -> dict:
    data = request.form.to_dict()
    data.pop("csrf_token", None)  # checked by the console's guard
    return schema.load(data)


@bp.get("")
@auth.staff_only
def page():
    """Show the form."""
    return render_template("console/privacy.html", holdings=HOLDINGS)


@bp.post("/find")
@auth.staff_only
def find():
    """Show what is stored about an email, collection by collection (audited as an export)."""
    email = _form(ShopperSchema())["email"]
    found = service.export(email, auth.actor())["collections"]
    return render_template("console/privacy.html", holdings=HOLDINGS, email=email,
                           found={name: len(docs) for name, docs in found.items()})


@bp.post("/export")
@auth.staff_only
def export():
    """Download everything stored about an email, as JSON."""
    email = _form(ShopperSchema())["email"]
    body = json.dumps(ExportSchema().dump(service.export(email, auth.actor())), indent=2,
                      sort_keys=True, ensure_ascii=False)
    name = f"privacy-export-{service.email_hash(email)[:12]}.json"
    return Response(body + "\n", mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.post("/erase")
@auth.staff_only
def erase():
    """Ask for confirmation, showing what will go; once confirmed, erase."""
    data = _form(EraseFormSchema())
    email = data["email"]
    if not data["confirm"]:
        found = service.find_counts(email)
        return render_template("console/privacy_erase.html", email=email, found=found,
                               holdings=HOLDINGS, total=sum(found.values()))
    erased = service.erase(email, auth.actor())["erased"]
    total = sum(erased.values())
    flash(f"Erased {total} document(s) for that email: " + (", ".join(
        f"{name} {count}" for name, count in erased.items() if count) or "nothing was stored")
        + ". The audit keeps only a hash of the email.")
    return redirect(url_for("console_privacy.page"), 303)
