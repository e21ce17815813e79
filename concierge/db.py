"""Own the MongoDB client, the embedded store and every index."""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, field

import mongomock
import pymongo
from flask import Flask, current_app, g, has_request_context

from . import durable, errors, process
from .embedded import Locked, ServerStore, ttl_monitor

DAY = 86_400


@dataclass(frozen=True)
class Index:
    """One index: its collection, keys and options."""

    collection: str
    keys: tuple[tuple[str, int], ...]
    name: str
    unique: bool = False
    partial: dict | None = None
    ttl_retention: str | None = None  # key of Config.RETENTION_DAYS
    ttl_seconds: int | None = None  # fixed TTL (0 = expire at the date itself)
    options: dict = field(default_factory=dict)

    def kwargs(self, retention_days: dict) -> dict:
        """Return the keyword arguments for create_index."""
        kw: dict = {"name": self.name, **self.options}
        if self.unique:
            kw["unique"] = True
        if self.partial:
            kw["partialFilterExpression"] = self.partial
        if self.ttl_retention:
            kw["expireAfterSeconds"] = retention_days[self.ttl_retention] * DAY
        elif self.ttl_seconds is not None:
            kw["expireAfterSeconds"] = self.ttl_seconds
        return kw


def _i(collection: str, *keys: tuple[str, int] | str, name: str, **kw) -> Index:
    norm = tuple((k, 1) if isinstance(k, str) else k for k in keys)
    return Index(collection, norm, name, **kw)


ACTIVE = {"status": "active"}

# Every query the repositories issue is served by one of these
# (tests/test_indexes.py proves it).  Keep the list in this one place.
INDEXES: tuple[Index, ...] = (
    _i("products", "sku", name="sku_unique", unique=True),
    _i("products", "keywords", "rank", name="keywords_rank"),
    _i("products", "category", "price.amount", name="category_price"),
    _i("products", "colors", name="colors"),
    _i("products", "sizes", name="sizes"),
    _i("products", "price.amount", name="price_amount"),
    _i("products", ("createdAt", -1), name="created_desc"),
    _i("products", "rank", name="rank"),
    # The search index polls for products written since its newest (covered: sku too).
    _i("products", "updatedAt", "sku", name="updated_sku"),
    # /demo's showcase lists live products by rank.
    _i("products", "archived", "rank", name="archived_rank"),
    _i("apiKeys", "createdAt", name="api_keys_created"),
    _i("orderEvents", "orderNumber", "eventId", name="one_event_per_id", unique=True),
    _i("orders", "orderNumber", name="order_number_unique", unique=True),
    _i("capsules", "capsuleId", name="capsule_id_unique", unique=True),
    _i("capsuleHolds", "holdId", name="hold_id_unique", unique=True),
    _i("capsuleHolds", "capsuleId", "email", name="one_active_hold_per_email",
       unique=True, partial=ACTIVE),
    _i("capsuleHolds", "capsuleId", "slot", name="one_active_hold_per_slot",
       unique=True, partial=ACTIVE),
    _i("capsuleHolds", "capsuleId", "status", "expiresAt", name="capsule_status_expiry"),
    _i("capsuleHolds", "expiresAt", name="ttl_holds", ttl_retention="capsuleHolds"),
    _i("widgetShortlists", "shortlistId", name="shortlist_id_unique", unique=True),
    _i("widgetShortlists", "updatedAt", name="ttl_shortlists",
       ttl_retention="widgetShortlists"),
    _i("returns", "rmaNumber", name="rma_unique", unique=True),
    _i("returns", "orderNumber", "createdAt", name="order_returns"),
    _i("returns", "createdAt", name="ttl_returns", ttl_retention="returns"),
    _i("returns", "status", ("createdAt", -1), name="returns_by_status"),
    _i("idempotencyKeys", "createdAt", name="ttl_idempotency",
       ttl_retention="idempotencyKeys"),
    _i("stylistTickets", "ticketNumber", name="ticket_unique", unique=True),
    _i("stylistTickets", "createdAt", name="ttl_tickets", ttl_retention="stylistTickets"),
    _i("stylistTickets", "status", ("createdAt", -1), name="tickets_by_status"),
    _i("widgetInspiration", "uploadId", name="upload_id_unique", unique=True),
    _i("widgetInspiration", "moderationStatus", "createdAt", name="moderation_queue"),
    _i("widgetInspiration", "purgeAt", name="ttl_inspiration", ttl_seconds=0),
    _i("inspirationImages.files", "metadata.purgeAt", name="ttl_image_files",
       ttl_seconds=0),
    _i("inspirationImages.chunks", "files_id", "n", name="files_id_n", unique=True),
    _i("inspirationImages.chunks", "purgeAt", name="ttl_image_chunks", ttl_seconds=0),
    _i("orderSubscriptions", "subscriptionId", name="subscription_id_unique",
       unique=True),
    _i("orderSubscriptions", "orderNumber", "channel", "destination",
       name="one_subscription_per_destination", unique=True),
    _i("orderSubscriptions", "createdAt", name="ttl_subscriptions",
       ttl_retention="orderSubscriptions"),
    _i("csatResponses", "sessionId", "intent", name="one_answer_per_session_intent",
       unique=True),
    _i("csatResponses", "updatedAt", name="ttl_csat", ttl_retention="csatResponses"),
    _i("outbox", "status", "channel", "nextAttemptAt", name="outbox_due_by_channel"),
    _i("outbox", "eventId", name="outbox_event"),
    _i("outbox", "createdAt", name="ttl_outbox", ttl_retention="outbox"),
    _i("notificationCaps", "expiresAt", name="ttl_notification_caps", ttl_seconds=0),
    _i("outbox", "status", "createdAt", name="outbox_by_status_age"),
    _i("audit", "at", name="ttl_audit", ttl_retention="audit"),
    _i("analyticsEvents", "name", "receivedAt", name="events_by_name"),
    _i("analyticsEvents", "sessionId", "receivedAt", name="events_by_session"),
    _i("analyticsEvents", "requestId", name="events_by_request"),
    _i("analyticsEvents", "receivedAt", name="ttl_events", ttl_retention="analyticsEvents"),
)


class Store:
    """The database handle of one app: real MongoDB or the embedded store."""

    def __init__(self, config):
        self.config = config
        # Callables told of every embedded-store call: (collection, method, args, kwargs).
        self.observers: list = []
        self._lock = threading.RLock()
        self._client = None
        self._database = None
        self._pid = None
        self._monitor_stop = threading.Event()
        self.monitor: threading.Thread | None = None  # the embedded TTL monitor
        self.journal: durable.Journal | None = None  # the durable embedded store's disk
        self.loaded = 0  # documents read back from disk at start

    @property
    def durable(self) -> bool:
        """Tell whether an acknowledged write is on disk (MongoDB, or a data folder)."""
        return not self.config.embedded or self.config.data_dir is not None

    @property
    def disk_error(self) -> Exception | None:
        """Return why the last write could not be put on disk, until one can again."""
        return self.journal.error if self.journal is not None else None

    @property
    def fresh(self) -> bool:
        """Tell whether the embedded store started empty (nothing on disk to read back)."""
        self.database()
        return self.loaded == 0

    def database(self):
        """Return the database, creating the client once per process."""
        if self._database is None or self._pid != process.pid():
            with self._lock:
                if self._database is None or self._pid != process.pid():
                    self._client = self._new_client()
                    db = self._client[self.config.MONGO_DB]
                    # Kept: every query of every request asks for it.
                    self._database = (Locked(db, self._lock, self.observers, self.journal)
                                      if self.config.embedded else db)
                    self._pid = process.pid()
        return self._database

    def _new_client(self):
        if self.config.embedded:
            self._monitor_stop = threading.Event()
            self.monitor = threading.Thread(
                target=ttl_monitor, args=(weakref.ref(self), self._monitor_stop),
                name="ttl-monitor", daemon=True)
            self.monitor.start()
            return mongomock.MongoClient(tz_aware=True, _store=self._embedded_store())
        # connect=False: the client opens sockets lazily, after gunicorn forks.
        return pymongo.MongoClient(
            self.config.MONGO_URI,
            connect=False,
            tz_aware=True,
            serverSelectionTimeoutMS=2000,
            connectTimeoutMS=2000,
            socketTimeoutMS=10000,
            appname="aurora-concierge",
        )

    def _embedded_store(self) -> ServerStore:
        """Return the embedded store: in memory, or read back from its data folder."""
        if self.config.data_dir is None:
            return ServerStore()
        disk = durable.Disk.open(self.config.data_dir)
        store = ServerStore(durable.Journal(disk, defer=_defer_to_response))
        try:
            self.loaded = durable.load(disk, store.place)
        except Exception:
            disk.close()
            raise
        self.journal = store.journal
        return store

    def writes(self, *collections: str) -> tuple | None:
        """Count the writes each collection has had, or None on MongoDB (nothing to count).

        On the embedded store every write goes through this process, so an
        answer kept along with these counts is exact as long as they match.
        Each count comes with its store's epoch: a store made afresh (after
        close(), or a fork) never repeats an earlier one's counts.
        """
        if not self.config.embedded:
            return None
        # Locked hands attributes that are not callables through unwrapped: mongomock's
        # per-database store.  Read with .get: creating a collection is a write's job.
        stored = self.database()._store._collections
        found = [stored.get(name) for name in collections]  # an empty store is falsy: `is`
        return tuple(None if one is None else (one.epoch, one.writes) for one in found)

    def expire_now(self) -> int:
        """Run the embedded TTL monitor's sweep now; return how many documents went.

        MongoDB deletes expired documents in the background about every 60
        seconds; the embedded store does the same from a daemon thread, and
        tests call this to sweep deterministically.  A no-op on MongoDB.
        """
        if not self.config.embedded or self._client is None:
            return 0
        removed = 0
        for database in list(self._client._store._databases.values()):
            for collection in list(database._collections.values()):
                with self._lock:  # one collection at a time: requests run in between
                    removed += collection.sweep_expired()
                    staged = self.journal.stage() if self.journal is not None else 0
                if staged:
                    self.journal.wait(staged)
        return removed

    def close(self) -> None:
        """Close the client (tests and shutdown)."""
        self._monitor_stop.set()
        if self._client is not None:
            self._client.close()
            self._client = self._database = None
        if self.journal is not None:
            journal, self.journal = self.journal, None
            try:
                journal.flush()
            finally:
                journal.disk.close()

    def ping(self) -> None:
        """Raise a pymongo error when the database cannot be reached."""
        self.database().command("ping")


def init_app(app: Flask, store: Store) -> None:
    """Attach the store; on the durable embedded store, answer only once writes are on disk."""
    app.extensions["concierge_store"] = store
    if store.config.data_dir is not None:
        # Registered after the other hooks, so it runs before them: they see the final answer.
        app.before_request(_defer_writes)
        app.after_request(_writes_on_disk)


def _defer_writes() -> None:
    g.concierge_unsynced = 0  # from here on, writes wait once, as the answer leaves


def _defer_to_response(number: int) -> bool:
    """Leave the wait for a write to the end of the request making it, when there is one."""
    if not has_request_context() or g.get("concierge_unsynced") is None:
        return False
    g.concierge_unsynced = max(g.concierge_unsynced, number)
    return True


def _writes_on_disk(response):
    """Wait until every write of this request is on disk; answer 503 if one cannot be."""
    number = g.pop("concierge_unsynced", None)
    if number:
        try:
            get_store().journal.wait(number)
        except durable.NotDurable as error:
            return errors.database_unavailable(error)
    return response


def get_store() -> Store:
    """Return the current app's store."""
    return current_app.extensions["concierge_store"]


def get_db():
    """Return the current app's database."""
    return get_store().database()


def upsert_race_safe(upsert):
    """Run an upsert, once more if a concurrent first upsert won the unique index.

    Two upserts of a missing document can both try to insert; the unique index
    refuses the second, whose retry then finds the document and updates it.
    """
    try:
        return upsert()
    except pymongo.errors.DuplicateKeyError:
        return upsert()


def ensure_indexes(db, retention_days: dict) -> list[str]:
    """Create every declared index; safe to run again."""
    created = []
    for index in INDEXES:
        # create_index, not create_indexes: mongomock drops
        # partialFilterExpression given through IndexModel.
        created.append(db[index.collection].create_index(
            list(index.keys), **index.kwargs(retention_days)))
    return created
