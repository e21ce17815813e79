"""The `memory://` rate-limit storage, swept by one thread instead of a thread per 10 ms.

The limits library's MemoryStorage starts a new `threading.Timer(0.01)` from
every `incr` once the previous one has finished: under load, a thread start
(and the wait for it to take the GIL) every 10 ms, on a shopper's request.
Its counts already expire lazily (`get` drops an expired key), so sweeping
only frees memory: one daemon thread per storage does it every few seconds
and ends when its storage is gone or empty.  Importing this module registers
the class for the `memory://` scheme (limits keeps one class per scheme).
This overrides private names: docs/performance.md gives the measured reason,
tests/test_limit_storage.py pins the names to the installed limits release.
"""

from __future__ import annotations

import threading
import time
import weakref

from limits.storage import MemoryStorage

SWEEP_SECONDS = 5.0


class SweptMemoryStorage(MemoryStorage):
    """In-process counts for flask-limiter, expired keys swept every few seconds."""

    STORAGE_SCHEME = ["memory"]
    sweep_seconds = SWEEP_SECONDS

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        self._sweeper_lock = threading.Lock()
        self.sweeper: threading.Thread | None = None
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    def _MemoryStorage__schedule_expiry(self) -> None:  # replaces the per-10 ms timer
        if self.sweeper is not None and self.sweeper.is_alive():
            return
        with self._sweeper_lock:
            if self.sweeper is None or not self.sweeper.is_alive():
                self.sweeper = threading.Thread(target=_sweep, args=(weakref.ref(self),),
                                                name="rate-limit-sweeper", daemon=True)
                self.sweeper.start()

    def sweep(self) -> None:
        """Drop every expired count now."""
        self._MemoryStorage__expire_events()


def _sweep(ref: weakref.ref) -> None:
    """Sweep the storage every few seconds while it exists and holds counts."""
    while True:
        storage = ref()
        if storage is None:
            return
        pause = storage.sweep_seconds
        del storage  # hold no reference while asleep
        time.sleep(pause)
        storage = ref()
        if storage is None:
            return
        storage.sweep()
        if not storage.storage and not storage.events:
            # The next incr starts a new sweeper; a storage at rest keeps no thread.
            with storage._sweeper_lock:
                storage.sweeper = None
            return
        del storage  # hold no reference while asleep
