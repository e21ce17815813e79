"""The console's entries in the audit trail: the signed-in staff member acts."""

from __future__ import annotations

from .. import audit
from .auth import actor

recent = audit.recent


def record(action: str, target: str, *, who: dict | None = None, **details) -> None:
    """Write one action of the signed-in staff member (or of `who`, before a sign-in)."""
    audit.record(action, target, who=who or actor(), **details)
