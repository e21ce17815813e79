"""/console/capsules: create, edit and retire capsules; see each one's holds."""

from __future__ import annotations

import re

from flask import Blueprint, flash, redirect, render_template, request, url_for
from marshmallow import ValidationError

from ..capsules import manage
from ..capsules.schemas import CapsuleBodySchema
from ..capsules.service import on_offer
from ..clock import now
from ..errors import flatten
from . import audit, auth, hooks

bp = Blueprint("console_capsules", __name__, url_prefix="/console/capsules")
hooks.install(bp)
OPTIONAL = ("imageUrl", "startsAt", "endsAt")


@bp.context_processor
def _section() -> dict:
    return {"section": "console_capsules.page", "state": _state}


def _state(capsule: dict) -> str:
    """Say in a word whether shoppers see the capsule now."""
    if capsule.get("retired"):
        return "retired"
    if on_offer(capsule, now()):
        return "on offer"
    starts = capsule.get("startsAt")
    return "scheduled" if starts and starts > now() else "ended"


def _body(form: dict) -> dict:
    """Turn the form's text into a PUT body: skus one per line or comma, numbers, times."""
    body = {name: form.get(name, "") for name in ("name", "description")}
    body["skus"] = [s for s in re.split(r"[\s,]+", form.get("skus", "")) if s]
    for name in ("capacity", "holdHours"):
        value = form.get(name, "").strip()
        body[name] = int(value) if value.isdigit() else value
    for name in OPTIONAL:
        value = form.get(name, "").strip()
        if value:  # a datetime-local input sends 2027-01-01T10:00, read as UTC
            body[name] = f"{value}:00Z" if name != "imageUrl" and len(value) == 16 else value
    return body


def _form_values(capsule: dict) -> dict:
    """Return a stored capsule as the form shows it."""
    values = {k: capsule.get(k) or "" for k in ("capsuleId", "name", "description",
                                                "capacity", "holdHours", "imageUrl")}
    values["skus"] = "\n".join(capsule.get("skus") or ())
    for name in ("startsAt", "endsAt"):
        values[name] = capsule[name].strftime("%Y-%m-%dT%H:%M") if capsule.get(name) else ""
    return values


@bp.get("")
@auth.staff_only
def page():
    """List every capsule with its active holds."""
    return render_template("console/capsules.html", capsules=manage.every_capsule())


@bp.get("/new")
@auth.staff_only
def new():
    """Show an empty capsule form."""
    return render_template("console/capsule.html", capsule=None, holds=[],
                           values={"capacity": 5, "holdHours": 48}, errors={})


@bp.get("/<capsule_id>")
@auth.staff_only
def show(capsule_id):
    """Show a capsule's form, its state and its active holds."""
    capsule = manage.get(capsule_id)
    return render_template("console/capsule.html", capsule=capsule, errors={},
                           values=_form_values(capsule), holds=manage.holds(capsule_id))


@bp.post("")
@auth.staff_only
def save():
    """Create or replace a capsule from the form; show the form again with what is wrong."""
    form = request.form.to_dict()
    capsule_id = form.get("capsuleId", "").strip()
    try:
        capsule, status = manage.put_capsule(capsule_id, CapsuleBodySchema().load(_body(form)))
    except ValidationError as error:
        stored, errors = manage.find(capsule_id), flatten(error.messages)
        # skus.0 ... are said beside the skus field, numbered from 1.
        sku_errors = sorted((int(name[5:]) + 1, messages) for name, messages in errors.items()
                            if name.startswith("skus."))
        return render_template("console/capsule.html", capsule=stored, values=form,
                               holds=manage.holds(capsule_id) if stored else [],
                               errors=errors, sku_errors=sku_errors), 422
    if status != "unchanged":
        audit.record(f"capsules.{status}", capsule_id, name=capsule["name"],
                     capacity=capsule["capacity"], holdHours=capsule["holdHours"])
    flash(f"Capsule {capsule_id} {status}.")
    return redirect(url_for("console_capsules.show", capsule_id=capsule_id), 303)


@bp.post("/<capsule_id>/retire")
@auth.staff_only
def retire(capsule_id):
    """Retire a capsule: shoppers no longer see or hold it; its holds run their time."""
    capsule = manage.retire(capsule_id)
    audit.record("capsules.retired", capsule_id, activeHolds=capsule["activeHolds"])
    flash(f"Capsule {capsule_id} is retired; its {capsule['activeHolds']} active holds "
          "stay valid until they end.")
    return redirect(url_for("console_capsules.show", capsule_id=capsule_id), 303)
