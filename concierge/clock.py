"""The app's clock: real UTC time in production, a test's own clock by argument."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app, has_app_context


def utc_now() -> datetime:
    """Return the current UTC time, truncated to milliseconds as MongoDB stores it."""
    t = datetime.now(UTC)
    return t.replace(microsecond=t.microsecond // 1000 * 1000)


def now() -> datetime:
    """Return the current app's time (its CLOCK setting), else the real UTC time."""
    if has_app_context():
        return current_app.config.get("CLOCK", utc_now)()
    return utc_now()
