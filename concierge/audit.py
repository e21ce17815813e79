"""The audit trail: who did what to which record, and when.

Every state-changing action of the store's staff or operators writes one
entry, whichever door it came through: the console (concierge/console/audit.py
names the signed-in staff member), the admin API (the admin token) or a
`flask concierge` command (the machine's user).
"""

from __future__ import annotations

import getpass

from flask import g, has_request_context, request

from .clock import now
from .db import get_db

RECENT = 100
# Who did it: the token's name, never its value.
ADMIN_TOKEN_NAME = "CONCIERGE_ADMIN_TOKEN"  # noqa: S105 - a name, not a secret


def record(action: str, target: str, *, who: dict, **details) -> None:
    """Write one action; with a request, the client address and request id too."""
    entry = {"at": now(), "who": who, "action": action, "target": target,
             "details": details, "requestId": g.get("request_id")}
    if has_request_context():
        entry["client"] = request.remote_addr
    get_db().audit.insert_one(entry)


def admin_api() -> dict:
    """Describe a caller of the admin API: the admin token's name."""
    return {"token": ADMIN_TOKEN_NAME, "via": "admin API"}


def command_line() -> dict:
    """Describe whoever runs a `flask concierge` command: the machine's user."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment or the password file
        user = "unknown"
    return {"via": "command line", "user": user}


def recent(limit: int = RECENT) -> list[dict]:
    """Return the latest actions, newest first."""
    return list(get_db().audit.find({}, {"_id": 0}).sort("at", -1).limit(limit))
