"""GET and POST /holds/<holdId>: the page the hold confirmation email links to."""

from flask import Blueprint, redirect, url_for

from .. import events
from ..pages import page, reads, writes
from . import repository, service

bp = Blueprint("hold_pages", __name__)


def _show(hold_id: str, status: int = 200):
    try:
        hold = service.get_hold(hold_id)
    except service.HoldNotFound:
        return page("hold.html", 404, hold=None)
    capsule = repository.find_capsule(hold["capsuleId"]) or {}
    return page("hold.html", status, hold=hold, capsule=capsule)


@bp.get("/holds/<hold_id>")
@reads
def show(hold_id):
    """Show the hold: capsule, status and end time, with a button that releases it."""
    return _show(hold_id)


@bp.post("/holds/<hold_id>")
@writes
def release(hold_id):
    """Release the hold, then show it (post/redirect/get)."""
    try:
        hold = service.release_hold(hold_id)
    except service.HoldNotFound:
        return page("hold.html", 404, hold=None)
    events.record("aurora_capsule_hold_released", holdId=hold["holdId"],
                  capsuleId=hold["capsuleId"], status=hold["status"], source="email")
    return redirect(url_for("hold_pages.show", hold_id=hold_id), 303)
