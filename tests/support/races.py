"""Lose a race on demand: run another request's write just before the app's own call.

The embedded store tells its observers of every call before running it
(`concierge.db.Store.observers`), so a test can land the competing write at
the one instant a real race would, instead of hoping threads collide.
"""

from __future__ import annotations

import threading
from collections.abc import Callable


class Races:
    """Competitors registered on one app's store; each fires before matching calls."""

    def __init__(self, store):
        self._store = store
        self._db = store.database()
        self._busy = threading.local()
        self._observers: list[Callable] = []
        self.fired: list[str] = []

    def before(self, collection: str, method: str, competitor: Callable, *,
               times: int = 1, when: Callable | None = None) -> None:
        """Run `competitor(db, args, kwargs)` before the next `times` matching calls.

        `when(args, kwargs)` narrows which calls match; the competitor's own
        calls never trigger competitors.
        """
        left = [times]

        def observe(target, name, args, kwargs):
            if getattr(self._busy, "on", False) or left[0] <= 0:
                return
            if target.name != collection or name != method:
                return
            if when is not None and not when(args, kwargs):
                return
            left[0] -= 1
            self._busy.on = True
            try:
                competitor(self._db, args, kwargs)
            finally:
                self._busy.on = False
            self.fired.append(f"{collection}.{method}")

        self._observers.append(observe)
        self._store.observers.append(observe)

    def close(self) -> None:
        """Stop every competitor."""
        for observe in self._observers:
            self._store.observers.remove(observe)
        self._observers.clear()
