"""GET and POST /holds/<holdId>: the page the hold confirmation email links to."""

from flask import Blueprint, redirect, url_for

from .. import events
from ..i18n import stored_locale
from ..pages import page, reads, writes
from . import repository, service

bp = Blueprint("hold_pages", __name__)
# An unknown or mistyped link: the page says so (one handler for both views).
bp.register_error_handler(service.HoldNotFound, lambda _: page("hold.html", 404, hold=None))


@bp.get("/holds/<hold_id>")
@reads
def show(hold_id):
    """Show the hold: capsule, status and end time, with a button that releases it."""
    hold = service.get_hold(hold_id)
    capsule = repository.find_capsule(hold["capsuleId"]) or {}
    return page("hold.html", hold=hold, capsule=capsule, locale=stored_locale(hold))


@bp.post("/holds/<hold_id>")
@writes
def release(hold_id):
    """Release the hold, then show it (post/redirect/get)."""
    hold = service.release_hold(hold_id)
    events.record("aurora_capsule_hold_released", holdId=hold["holdId"],
                  capsuleId=hold["capsuleId"], status=hold["status"], source="email")
    return redirect(url_for("hold_pages.show", hold_id=hold_id), 303)
