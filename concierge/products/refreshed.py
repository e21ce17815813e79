"""A worker's own copy of something the database holds, loaded once and refreshed when due.

Loaded on first use in each process (after a fork too: a copy made in the parent, and
tantivy's threads, stay behind there) and looked at again at most every interval, by one
thread at a time: the others go on with the copy as it is.  A database that does not
answer leaves the copy as it is until the next look.
"""

from __future__ import annotations

import logging
import threading
import time

from pymongo.errors import PyMongoError

from .. import process

log = logging.getLogger(__name__)


class Refreshed:
    """The loading and refreshing; subclasses say how (`load`, `refresh`) and what (`what`)."""

    what = "copy"  # named in the warning when a refresh fails
    checked: float  # clock reading of the last look

    def __init__(self, interval_seconds: float, clock=time.monotonic):
        self.interval, self.clock = interval_seconds, clock
        self._pid: int | None = None  # the process the copy was loaded in
        self._lock = threading.Lock()

    def ensure_fresh(self) -> None:
        """Load the copy in this process, or refresh it when the interval has passed."""
        if self._pid != process.pid():
            with self._lock:
                if self._pid != process.pid():
                    self.load()
                    self._pid, self.checked = process.pid(), self.clock()
        elif self.clock() - self.checked >= self.interval and self._lock.acquire(False):
            try:
                self.refresh()
            except PyMongoError as error:
                log.warning("%s not refreshed: %s", self.what, error)
            finally:
                self._lock.release()

    def load(self) -> None:
        """Read the whole copy."""
        raise NotImplementedError

    def refresh(self):
        """Read what changed since the last look (set `checked`)."""
        raise NotImplementedError
