"""Hold places in capsules: one per email, never more than the capacity."""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, g
from marshmallow import ValidationError
from pymongo.errors import DuplicateKeyError

from .. import outbox
from ..api import Dumped, dumped
from ..clock import now
from ..db import get_db
from ..errors import ConciergeError, Conflict, NotFound
from ..extensions import client_address
from ..i18n import current_locale
from ..ids import looks_like_public_id, new_public_id
from ..products import service as products
from . import repository
from .schemas import CapsuleListSchema, ExistingHoldSchema


class CapsuleNotFound(NotFound):
    """No capsule has this id."""

    code, title = "capsule_not_found", "Capsule not found"


class HoldNotFound(NotFound):
    """No hold has this id."""

    code, title = "hold_not_found", "Hold not found"


class DuplicateHold(Conflict):
    """This email already holds this capsule."""

    code, title = "duplicate_hold", "You already hold this capsule"


class TooManyHolds(ConciergeError):
    """This client address or session already holds as many places as it may."""

    status, code, title = 429, "too_many_holds", "Too many active holds"


class CapsuleUnavailable(Conflict):
    """Every place of the capsule is held."""

    code, title = "capsule_unavailable", "Capsule unavailable"


def on_offer(capsule: dict, at: datetime) -> bool:
    """Tell whether shoppers may see and hold the capsule at `at` (not retired, in its
    window)."""
    return (not capsule.get("retired")
            and (capsule.get("startsAt") is None or capsule["startsAt"] <= at)
            and (capsule.get("endsAt") is None or at < capsule["endsAt"]))


def _next_change(capsules: list[dict], at: datetime) -> datetime | None:
    """Return when the first capsule's window opens or closes after `at`."""
    return min((when for c in capsules if not c.get("retired")
                for when in (c.get("startsAt"), c.get("endsAt")) if when and when > at),
               default=None)


def _listing(at: datetime) -> tuple[list[dict], datetime | None]:
    """Return the capsules on offer (places left at `at`, sizes) and when the list next
    changes by itself: the first hold counted ends, or a window opens or closes."""
    # A store has few capsules: read whole by the unique index, those on offer kept.
    stored = repository.all_capsules()
    capsules = [c for c in stored if on_offer(c, at)]
    held, first_end = repository.active_counts([c["capsuleId"] for c in capsules], at)
    until = min((t for t in (first_end, _next_change(stored, at)) if t), default=None)
    return ([{**c, "available": max(0, c["capacity"] - held[c["capsuleId"]]),
              "sizes": products.sizes_offered(c["skus"])} for c in capsules], until)


# On MongoDB another worker's writes show in the list within this long; on the
# embedded store at once (every write is counted in this process).
KEEP_SECONDS = 1.0


@dataclass(frozen=True)
class KeptListing:
    """GET /capsules' answer, and what must not change for it to stay right."""

    answer: Dumped
    writes: tuple | None  # the store's write counts of capsules and holds; None on MongoDB
    changes: int  # ListKeeper.changes when listed
    sizes: tuple  # each capsule's sizes in the answer, from this worker's catalogue index
    until: datetime | None  # when the first hold counted ends: a place comes free
    stale_at: float  # time.monotonic(); only read when writes is None

    def fits(self, writes, changes: int, sizes: tuple, at: datetime) -> bool:
        """Tell whether the answer is still the one a fresh listing would give."""
        return (writes == self.writes and changes == self.changes and sizes == self.sizes
                and (self.until is None or at < self.until)
                and (writes is not None or time.monotonic() < self.stale_at))


class ListKeeper:
    """An app's kept capsules list, and how many holds were placed or released here."""

    def __init__(self):
        self.kept: KeptListing | None = None
        # A hold changed here while a list was being read makes that list unfit;
        # on MongoDB nothing else would tell (a thread may keep what it read before).
        self.changes = 0


def capsule_list() -> Dumped:
    """Return GET /capsules' answer, listed again only when something it shows changed.

    Every shopper opening the capsules asks for the same list: it is dumped,
    encoded and compressed once, then sent until a hold, a capsule or a size
    changes or a hold runs out.
    """
    keeper, at = _keeper(), now()
    # Read before listing: a write made meanwhile leaves the new list unfit at once.
    writes, changes = repository.writes(), keeper.changes
    kept = keeper.kept
    if kept is not None and kept.fits(writes, changes, _sizes(kept.answer), at):
        return kept.answer
    capsules, until = _listing(at)
    answer = dumped(CapsuleListSchema, {"items": capsules})
    keeper.kept = KeptListing(answer, writes, changes, tuple(c["sizes"] for c in capsules),
                              until, time.monotonic() + KEEP_SECONDS)
    return answer


def _keeper() -> ListKeeper:
    """Return the app's keeper (per app: each app has its own store)."""
    return current_app.extensions.setdefault("concierge_capsule_list", ListKeeper())


def _list_changed() -> None:
    """Count a hold placed or released here, so no list read before it is kept."""
    _keeper().changes += 1


def _sizes(answer: Dumped) -> tuple:
    """Return each listed capsule's sizes as the catalogue index gives them now."""
    return tuple(products.sizes_offered(c["skus"]) for c in answer["items"])


def _offered(capsule: dict, found: dict[str, dict]) -> list[str]:
    """Return the sizes the capsule's pieces come in, smallest first."""
    sizes = {s for sku in capsule["skus"] if sku in found for s in found[sku].get("sizes", ())}
    return sorted(sizes, key=products.size_order)


def _check_size(capsule: dict, size: str | None) -> None:
    if size is None:
        return
    offered = _offered(capsule, products.by_skus(capsule["skus"]))
    if size not in offered:
        raise ValidationError({"size": [f"Must be one of: {', '.join(offered)}."]})


def _which_index(error: DuplicateKeyError) -> str | None:
    """Name the unique index a DuplicateKeyError came from, when the server says."""
    pattern = (error.details or {}).get("keyPattern") or {}
    message = str(error)
    if "email" in pattern or "one_active_hold_per_email" in message:
        return "email"
    if "slot" in pattern or "one_active_hold_per_slot" in message:
        return "slot"
    return None  # mongomock says neither


def _duplicate(capsule_id: str, email: str, at: datetime) -> DuplicateHold | None:
    existing = repository.active_hold(capsule_id, email, at)
    if existing is None:
        return None
    # The hold id stays out: knowing an email must not let anyone release her hold.
    return DuplicateHold("This email already holds this capsule; see hold for until when.",
                         hold=ExistingHoldSchema().dump(existing))


def _holders() -> dict:
    """Return who places a hold: the client address (hashed, as stored) and the session."""
    client = hashlib.sha256(client_address().encode()).hexdigest()[:24]
    return {"client": client, "sessionId": g.get("session_id")}


def _check_caps(holders: dict, at: datetime, placed: int = 0) -> None:
    """Raise TooManyHolds when the client address or session holds more than it may.

    `placed` is how many of the active holds counted are this request's own: the
    count is made again after the insert, so concurrent requests cannot all pass.
    """
    caps = {"client": current_app.config["HOLDS_PER_CLIENT"],
            "sessionId": current_app.config["HOLDS_PER_SESSION"]}
    for field, cap in caps.items():
        if holders[field] is None:
            continue
        ends = repository.active_ends(field, holders[field], at)
        if len(ends) - placed >= cap:
            wait = max(1, math.ceil((min(ends) - at).total_seconds()))
            who = "address" if field == "client" else "session"
            raise TooManyHolds(f"This {who} already holds {cap} capsule places; one comes "
                               "free when a hold ends or is released.",
                               headers={"Retry-After": str(wait)})


def place_hold(data: dict) -> dict:
    """Hold a free place of the capsule for the email, or raise why not."""
    capsule = repository.find_capsule(data["capsuleId"])
    if capsule is None:
        raise CapsuleNotFound(f"No capsule has the id {data['capsuleId']!r}.")
    at = now()
    if not on_offer(capsule, at):
        raise CapsuleUnavailable(f"{capsule['name']} is not on offer now"
                                 f"{' (retired)' if capsule.get('retired') else ''}.")
    _check_size(capsule, data.get("size"))
    capsule_id, email = capsule["capsuleId"], data["email"]
    # Holds past their time give their slot (and their email) back first.
    repository.expire_due(capsule_id, at)
    duplicate = _duplicate(capsule_id, email, at)
    if duplicate:
        raise duplicate
    holders = _holders()
    _check_caps(holders, at)
    doc = {"capsuleId": capsule_id, "email": email, "status": "active", "createdAt": at,
           "expiresAt": at + timedelta(hours=capsule["holdHours"]), **holders,
           "locale": current_locale()}
    if data.get("size"):
        doc["size"] = data["size"]
    taken = repository.taken_slots(capsule_id)
    for slot in (s for s in range(capsule["capacity"]) if s not in taken):
        doc.pop("_id", None)
        doc.update(slot=slot, holdId=new_public_id())
        try:
            repository.insert_hold(doc)
            _list_changed()
            _keep_within_caps(doc, at)
            _announce(capsule, doc)
            return doc
        except DuplicateKeyError as error:
            # The unique index, not the read above, decides: another request won.
            which = _which_index(error)
            duplicate = _duplicate(capsule_id, email, at) if which != "slot" else None
            if duplicate:
                raise duplicate from None
    # The server may have named only the slot index although the email clashed too.
    duplicate = _duplicate(capsule_id, email, at)
    if duplicate:
        raise duplicate
    raise CapsuleUnavailable(f"Every place of {capsule['name']} is held; try again later.")


def _keep_within_caps(hold: dict, at: datetime) -> None:
    """Count again with this hold in; over a cap (a concurrent request won), take it back."""
    try:
        _check_caps(hold, at, placed=1)
    except TooManyHolds:
        repository.delete_hold(hold["holdId"])
        _list_changed()
        raise


def _as_of(hold: dict, at: datetime) -> dict:
    """Read an active hold whose time has passed as expired (before any sweep)."""
    if hold["status"] == "active" and hold["expiresAt"] <= at:
        return {**hold, "status": "expired"}
    return hold


def get_hold(hold_id: str) -> dict:
    """Return the hold with its status as of now, else raise HoldNotFound."""
    hold = repository.find_hold(hold_id) if looks_like_public_id(hold_id) else None
    if hold is None:
        raise HoldNotFound("No hold has this id.")
    return _as_of(hold, now())


def release_hold(hold_id: str) -> dict:
    """Release an active hold; an ended one is answered as it is."""
    released = repository.release(hold_id, now()) if looks_like_public_id(hold_id) else None
    if released:
        _list_changed()
    return released or get_hold(hold_id)


def _announce(capsule: dict, hold: dict) -> None:
    """Queue capsule_hold.created; only the owner's email carries the hold id."""
    outbox.enqueue(get_db(), "capsule_hold.created",
                   {"capsuleId": hold["capsuleId"], "expiresAt": hold["expiresAt"]},
                   email_to=hold["email"],
                   email_context={"holdId": hold["holdId"], "capsuleName": capsule["name"],
                                  "size": hold.get("size"), "locale": hold["locale"]})
