"""Create, edit and retire capsules (merchant API and console); list them with holds."""

from __future__ import annotations

import hashlib
import json
import re

from marshmallow import ValidationError

from ..clock import now
from ..products import service as products
from ..schemas import iso_z
from . import repository
from .schemas import CAPSULE_ID_PATTERN
from .service import CapsuleNotFound

# The fields a PUT sends: a re-PUT of the same ones writes nothing (idempotent).
FIELDS = ("name", "description", "skus", "capacity", "holdHours", "imageUrl", "startsAt",
          "endsAt")


def _hash(fields: dict) -> str:
    canonical = json.dumps(fields, sort_keys=True, default=iso_z, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def capsule_fields(data: dict) -> dict:
    """Turn a validated body into the stored fields; every sku must name a product."""
    skus = [products.normal_sku(sku) for sku in data["skus"]]
    found = products.by_skus(skus)
    unknown = {f"skus.{i}": ["No product or variant has this sku."]
               for i, sku in enumerate(skus) if sku not in found}
    if unknown:
        raise ValidationError(unknown)
    fields = {name: data.get(name) for name in FIELDS}
    fields["skus"] = skus
    fields["contentHash"] = _hash(fields)
    return fields


def capsule_id_of(value: str) -> str:
    """Return a capsule id from a path, else raise a 422."""
    if not re.match(CAPSULE_ID_PATTERN, value):
        raise ValidationError({"capsuleId": [
            "Must be 1-64 characters of a-z 0-9 -, such as capsule-weekend-edit."]})
    return value


def put_capsule(capsule_id: str, data: dict) -> tuple[dict, str]:
    """Create or replace a capsule; return it with created, updated or unchanged."""
    capsule_id = capsule_id_of(capsule_id)
    fields = capsule_fields(data)
    stored = repository.find_capsule(capsule_id)
    if stored and stored.get("contentHash") == fields["contentHash"] \
            and not stored.get("retired"):
        return with_holds(stored), "unchanged"
    created = repository.upsert_capsule(capsule_id, fields, now())
    return with_holds(repository.find_capsule(capsule_id)), "created" if created else "updated"


def retire(capsule_id: str) -> dict:
    """Retire a capsule: shoppers no longer see or hold it; its holds run their time."""
    capsule = repository.retire_capsule(capsule_id, now())
    if capsule is None:
        raise CapsuleNotFound(f"No capsule has the id {capsule_id!r}.")
    return with_holds(capsule)


def find(capsule_id: str) -> dict | None:
    """Return one capsule with its holds active now, or None."""
    capsule = repository.find_capsule(capsule_id)
    return with_holds(capsule) if capsule else None


def get(capsule_id: str) -> dict:
    """Return one capsule with its holds active now, else raise CapsuleNotFound."""
    capsule = repository.find_capsule(capsule_id)
    if capsule is None:
        raise CapsuleNotFound(f"No capsule has the id {capsule_id!r}.")
    return with_holds(capsule)


def every_capsule() -> list[dict]:
    """Return every capsule, retired ones too, with its count of active holds."""
    capsules, at = repository.all_capsules(), now()
    held, _ = repository.active_counts([c["capsuleId"] for c in capsules], at)
    return [_defaults(c, held[c["capsuleId"]]) for c in capsules]


def with_holds(capsule: dict) -> dict:
    """Return the capsule with its count of holds active now."""
    held, _ = repository.active_counts([capsule["capsuleId"]], now())
    return _defaults(capsule, held[capsule["capsuleId"]])


def holds(capsule_id: str) -> list[dict]:
    """Return the capsule's holds active now, the first to end first."""
    return repository.holds_of(capsule_id, now())


def _defaults(capsule: dict, active: int) -> dict:
    """Fill what a seeded capsule (written before the merchant API) leaves out."""
    return {"imageUrl": None, "startsAt": None, "endsAt": None, "retired": False,
            "retiredAt": None, **capsule, "activeHolds": active}

