"""Staff sign-in: a staff account's password, or the admin token (the first admin), starts a
signed, expiring session."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime
from functools import wraps
from ipaddress import ip_address
from urllib.parse import urlsplit

from flask import current_app, g, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface

from ..clock import now
from ..errors import NotFound
from . import accounts, repository

LOOPBACK_NAMES = {"localhost"}
# Who did it, in the audit: the token's name, never its value.
TOKEN_NAME = "CONCIERGE_ADMIN_TOKEN"  # noqa: S105 - a name, not a secret


def secret_key(settings) -> bytes:
    """Return the key signing sessions, the same in every worker.

    Without CONCIERGE_SECRET_KEY it is derived from the admin token, so
    changing the token also ends every session.
    """
    if settings.CONCIERGE_SECRET_KEY:
        return settings.CONCIERGE_SECRET_KEY.encode()
    if settings.CONCIERGE_ADMIN_TOKEN:
        return hmac.new(settings.CONCIERGE_ADMIN_TOKEN.encode(), b"aurora-console-session",
                        hashlib.sha256).digest()
    return secrets.token_bytes(32)  # no token, no console: nothing to sign


def is_loopback(host: str) -> bool:
    """Tell whether a Host header names this machine (localhost, 127.0.0.0/8, ::1)."""
    name = urlsplit(f"//{host}").hostname or ""
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ip_address(name).is_loopback
    except ValueError:
        return False


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie session, Secure everywhere but on localhost."""

    def get_cookie_secure(self, app) -> bool:
        """Mark the cookie Secure unless the console is reached on localhost."""
        return not is_loopback(request.host)

    def open_session(self, app, request):
        """Start an empty session, without building a signer, when no cookie came.

        Every API and widget request is such a request (the cookie's path is
        /console), and the signer costs more than the rest of opening it.
        """
        if app.secret_key and ("HTTP_COOKIE" not in request.environ
                               or self.get_cookie_name(app) not in request.cookies):
            return self.session_class()
        return super().open_session(app, request)

    def get_expiration_time(self, app, session) -> datetime | None:
        """Expire the cookie when the session ends, never later however often it is re-sent."""
        ends = _ends(session.get("since")) if session.permanent else None
        return ends or super().get_expiration_time(app, session)

    def save_session(self, app, session, response) -> None:
        """Send nothing for an empty session nobody read or changed (every API answer)."""
        if not session and not session.modified and not session.accessed:
            return
        super().save_session(app, session, response)


def _fingerprint(token: str) -> str:
    """Return a keyed digest of the token: a session outlives no token change."""
    return hmac.new(current_app.secret_key, token.encode(), hashlib.sha256).hexdigest()


def token_matches(given: str) -> bool:
    """Compare a typed token with the admin token in constant time."""
    token = current_app.config["CONCIERGE_ADMIN_TOKEN"]
    return hmac.compare_digest(given.strip().encode(), token.encode())


def sign_in(staff: str, account: dict | None = None) -> None:
    """Start a fresh session (no id carried over from before the sign-in).

    With the admin token: an admin named `staff`. With an account: its name and role,
    tied to its password hash, so removing the account or changing its password ends it.
    """
    session.clear()
    g.pop("console_signed_in", None)
    session.permanent = True  # the cookie expires with the session (get_expiration_time)
    session.update(staff=staff, since=now().isoformat(),
                   generation=repository.session_generation())
    if account is None:
        session.update(role="admin",
                       token=_fingerprint(current_app.config["CONCIERGE_ADMIN_TOKEN"]))
    else:
        session.update(role=account["role"], account=account["email"],
                       credential=_fingerprint(account["passwordHash"]))


def sign_out() -> None:
    """End this session and every other one, copies of the cookie included."""
    repository.end_sessions()
    session.clear()
    g.pop("console_signed_in", None)


def _ends(since: str) -> datetime | None:
    try:
        started = datetime.fromisoformat(since)
    except (TypeError, ValueError):
        return None
    return started + current_app.permanent_session_lifetime


def signed_in() -> bool:
    """Tell whether the request carries a live session started with the current token.

    Live: within CONSOLE_SESSION_HOURS of its sign-in (however busy it has
    been), and no sign-out since (the stored generation has not moved on).
    """
    if "console_signed_in" not in g:
        g.console_signed_in = _credential_holds() and _live()
    return g.console_signed_in


def _credential_holds() -> bool:
    """Tell whether the session's credential (the token, or the account's password) holds."""
    if session.get("account"):
        account = accounts.find(session["account"])
        fingerprint = session.get("credential") or ""
        return account is not None and hmac.compare_digest(
            fingerprint, _fingerprint(account["passwordHash"]))
    fingerprint = session.get("token")
    token = current_app.config["CONCIERGE_ADMIN_TOKEN"]
    return bool(fingerprint) and hmac.compare_digest(fingerprint, _fingerprint(token))


def _live() -> bool:
    ends = _ends(session.get("since"))
    return (ends is not None and now() < ends
            and session.get("generation") == repository.session_generation())


def actor() -> dict:
    """Describe who acts, for the audit: the account (or the token's name) and the name."""
    if session.get("account"):
        return {"account": session["account"], "staff": session.get("staff", ""),
                "role": role()}
    return {"token": TOKEN_NAME, "staff": session.get("staff", "")}


def role() -> str:
    """Return the signed-in person's role (the admin token signs in an admin)."""
    return session.get("role") or "admin"


# What an agent may use: the inbox, returns and moderation (and signing in and out).
AGENT_ENDPOINTS = {"console.sign_in", "console.sign_in_submit", "console.sign_in_account",
                   "console.sign_out", "console.moderation", "console.moderate",
                   "console.image", "console.returns", "console.return_detail",
                   "console.move_return"}
AGENT_BLUEPRINTS = {"console_inbox"}


def allowed(endpoint: str | None) -> bool:
    """Tell whether the signed-in person's role may use this console page."""
    if role() == "admin" or endpoint is None:
        return True
    return endpoint in AGENT_ENDPOINTS or endpoint.partition(".")[0] in AGENT_BLUEPRINTS


def require_console() -> None:
    """Answer 404 when no admin token is configured (the console is off)."""
    if not current_app.config["CONCIERGE_ADMIN_TOKEN"]:
        raise NotFound("The console is switched off (no admin token configured).")


def staff_only(view):
    """Send a visitor without a session to the sign-in page."""
    @wraps(view)
    def guarded(*args, **kwargs):
        if not signed_in():
            return redirect(url_for("console.sign_in", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)
    return guarded
