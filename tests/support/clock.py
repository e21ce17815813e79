"""A clock tests can set and advance; the app reads it through its CLOCK setting."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from concierge.clock import utc_now


class Clock:
    """Follow real UTC time until a test sets it; from then on time moves only when told."""

    def __init__(self):
        self._lock = threading.Lock()
        self._frozen: datetime | None = None

    def __call__(self) -> datetime:
        with self._lock:
            return self._frozen if self._frozen is not None else utc_now()

    def set(self, at: datetime) -> datetime:
        """Stop the clock at `at` (milliseconds, as MongoDB stores times)."""
        with self._lock:
            self._frozen = at.replace(microsecond=at.microsecond // 1000 * 1000)
            return self._frozen

    def freeze(self) -> datetime:
        """Stop the clock at the current time."""
        return self.set(utc_now())

    def advance(self, delta: timedelta | None = None, **parts: float) -> datetime:
        """Move the clock on by `delta` (or timedelta(**parts)); stop it there."""
        step = delta if delta is not None else timedelta(**parts)
        with self._lock:
            start = self._frozen if self._frozen is not None else utc_now()
        return self.set(start + step)
