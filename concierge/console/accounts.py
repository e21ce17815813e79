"""Staff accounts: a name, an email, a role and a password hash (werkzeug's scrypt).

Two roles: admin (everything) and agent (the inbox, returns and moderation). The
admin token still signs in as the first admin, for the set-up and for stores that
keep one shared key.
"""

from __future__ import annotations

from pymongo.errors import DuplicateKeyError
from werkzeug.security import check_password_hash, generate_password_hash

from ..clock import now
from ..db import get_db
from ..errors import Conflict, NotFound
from ..text import normal_email

ROLES = ("admin", "agent")
PASSWORD_MIN = 12
# Checked when no account has the email, so an unknown address costs as long as a known one.
_NOBODY = generate_password_hash("no such account", method="scrypt")


class AccountExists(Conflict):
    """An account already has this email."""

    code, title = "account_exists", "This email already has an account"


class AccountNotFound(NotFound):
    """No account has this email."""

    code, title = "account_not_found", "No such account"


def _public(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if k not in ("_id", "passwordHash")}


def add(name: str, email: str, role: str, password: str) -> dict:
    """Store a new account; raise AccountExists when the email has one."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < PASSWORD_MIN:
        raise ValueError(f"a password has at least {PASSWORD_MIN} characters")
    doc = {"email": normal_email(email), "name": name.strip(), "role": role,
           "passwordHash": generate_password_hash(password, method="scrypt"),
           "createdAt": now()}
    try:
        get_db().staffAccounts.insert_one(doc)
    except DuplicateKeyError:
        raise AccountExists(f"{doc['email']} already has an account.") from None
    return _public(doc)


def remove(email: str) -> dict:
    """Delete an account (its sessions end at their next request); return what it was."""
    doc = get_db().staffAccounts.find_one_and_delete({"email": normal_email(email)})
    if doc is None:
        raise AccountNotFound(f"No account has the email {normal_email(email)}.")
    return _public(doc)


def listed() -> list[dict]:
    """Return every account, by name."""
    return [_public(d) for d in get_db().staffAccounts.find({}).sort("email", 1)]


def find(email: str) -> dict | None:
    """Return the stored account of this email (password hash included), or None."""
    return get_db().staffAccounts.find_one({"email": normal_email(email)})


def check(email: str, password: str) -> dict | None:
    """Return the account when the password is its own, else None (in the same time)."""
    doc = find(email)
    matched = check_password_hash(doc["passwordHash"] if doc else _NOBODY, password)
    return doc if doc is not None and matched else None


def names() -> list[str]:
    """Return the names conversations can be assigned to."""
    return sorted({d["name"] for d in get_db().staffAccounts.find({}, {"name": 1})})
