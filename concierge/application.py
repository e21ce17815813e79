"""The Flask class of the app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask

KNOWN_AT_MOST = 1024  # hooks and views: a few hundred; per-request callbacks are not kept


class Concierge(Flask):
    """Flask, deciding once per hook or view (not on every request) whether it is async.

    Flask asks `inspect` on every request, for each of the twenty-odd hooks and
    the view, whether it is a coroutine function; the answer never changes.
    `ensure_sync` is Flask's documented point to override for this.
    """

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._sync: dict[Callable, Callable] = {}

    def ensure_sync(self, func: Callable) -> Callable:
        """Return `func` as a synchronous callable, decided once per function."""
        try:
            return self._sync[func]
        except KeyError:
            synced = super().ensure_sync(func)
            if len(self._sync) < KNOWN_AT_MOST:
                self._sync[func] = synced
            return synced
        except TypeError:  # an unhashable callable: decided each time, as Flask does
            return super().ensure_sync(func)
