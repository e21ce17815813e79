"""Keep each worker's search index in step with the products collection.

MongoDB is the source of truth.  Every product write sets `updatedAt`, and every write
the app makes bumps the catalogue's change counter after it lands (catalog_version.py).
A worker builds its index from the collection at start, then, at most every
SEARCH_REFRESH_MS, reads the counter (one document).  When it moved, the worker reads
the sku and updatedAt of every product and re-indexes those whose version differs, and
rebuilds when one is gone (a hard delete): equality, no clock and no count involved, so
an unclean shutdown cannot leave it rebuilding forever.

Writes made straight to MongoDB, outside the app, do not move the counter; for those the
worker also asks whether a product was written after the newest write it has seen (one
index entry at most) and reads the products written since SKEW before it, until the newest
write is SKEW old by the database's clock, so one committed late or stamped by a slightly
slow clock is still picked up.  The embedded store lives in the process and makes each
write visible as it is made, so there the reach-back is zero.  Both stores read times
back timezone-aware (`tz_aware=True`), so stamps compare as read.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime, timedelta

from .. import process
from . import repository
from .engine import Engine
from .refreshed import Refreshed

log = logging.getLogger(__name__)

SKEW = timedelta(seconds=30)
BEGINNING = datetime(1970, 1, 1, tzinfo=UTC)


class CatalogIndex(Refreshed):
    """One process's search engine over the catalogue, and how fresh it is."""

    # Set by rebuild(), which the first current() in each process runs.
    engine: Engine
    versions: dict[str, datetime | None]  # every sku seen, archived too
    newest: datetime | None
    seen: int  # the catalogue's change counter when last read
    settled: bool  # the last window was read SKEW after the newest write

    what = "search index"

    def __init__(self, interval_seconds: float, clock=time.monotonic,
                 skew: timedelta = SKEW):
        super().__init__(interval_seconds, clock)
        self.skew = skew

    def current(self) -> Engine:
        """Return this process's engine, built on first use and refreshed when due."""
        self.ensure_fresh()
        return self.engine

    def load(self) -> None:
        """Build the index (Refreshed's first use in a process)."""
        self.rebuild()

    def rebuild(self) -> None:
        """Index the whole collection afresh (after a fork too: tantivy's threads stay
        behind in the parent)."""
        # The counter first: a write landing while the products are read moves it again.
        self.seen = repository.changes()
        products = repository.all_products()
        self.engine = Engine(products)
        self.versions = {p["sku"]: p.get("updatedAt") for p in products}
        self.newest = max((v for v in self.versions.values() if v), default=None)
        self._pid, self.checked, self.settled = process.pid(), self.clock(), False

    def refresh(self) -> int:
        """Re-index the products written since the last look; return how many."""
        self.checked = self.clock()
        seen = repository.changes()
        if seen != self.seen:
            return self._follow_counter(seen)
        if self.settled and not repository.written_after(self.newest or BEGINNING):
            return 0
        looked_at = repository.database_time()
        since = self.newest - self.skew if self.newest else BEGINNING
        changed = self._apply([v["sku"] for v in repository.versions_since(since)
                               if self.versions.get(v["sku"]) != v.get("updatedAt")])
        self.settled = self.newest is None or looked_at - self.newest > self.skew
        return changed

    def _follow_counter(self, seen: int) -> int:
        stored = {v["sku"]: v.get("updatedAt") for v in repository.versions()}
        if self.versions.keys() - stored.keys():
            log.info("a product was deleted: rebuilding the search index")
            self.rebuild()
            return len(stored)
        changed = self._apply([sku for sku, at in stored.items()
                               if sku not in self.versions or self.versions[sku] != at])
        self.seen, self.settled = seen, False
        return changed

    def _apply(self, changed: list[str]) -> int:
        if changed:
            products = repository.find_for_index(changed)
            self.engine.apply(products)
            for product in products:
                self.versions[product["sku"]] = when = product.get("updatedAt")
                self.newest = max(self.newest or when, when) if when else self.newest
        return len(changed)
