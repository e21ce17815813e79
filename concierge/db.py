"""Own the MongoDB client, the embedded store and every index."""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import mongomock
import pymongo
from flask import Flask, current_app, g, has_request_context
from pymongo import ReadPreference, WriteConcern

from . import durable, errors, process
from .embedded import Locked, ServerStore, Undo, ttl_monitor
from .failover import Failover

DAY = 86_400
# MongoDB's answer to a transaction on a standalone server (IllegalOperation).
NO_TRANSACTIONS = (20,)
T = TypeVar("T")

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Transaction:
    """What run_transaction hands its work: the session to pass on, and its guarantee."""

    session: object | None  # a pymongo ClientSession on MongoDB, None on the embedded store
    atomic: bool  # False only on a standalone MongoDB: repair what a failure leaves


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
    # Unique across documents' array elements (multikey) on MongoDB. mongomock compares
    # whole arrays (scanning the collection per write for it, and failing to hash them
    # when the index is created again), so there it is created plain and the embedded
    # store's one process keeps the rule (merchant/service.py).
    multikey: bool = False

    def kwargs(self, retention_days: dict, mongomock_store: bool = False) -> dict:
        """Return the keyword arguments for create_index."""
        kw: dict = {"name": self.name, **self.options}
        if self.unique and not (self.multikey and mongomock_store):
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
    # Every sku naming a product (its own and its variants'): one product per sku.
    # Partial: documents written before variants have no skus until start-up gives them
    # theirs (products/migrate.py); an equality on skus implies it exists.
    _i("products", "skus", name="skus_unique", unique=True, multikey=True,
       partial={"skus": {"$exists": True}}),
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
    # The store's search steering: rules by id, synonym sets by locale (null: all).
    _i("searchRules", "ruleId", name="search_rule_id_unique", unique=True),
    _i("searchSynonyms", "locale", name="search_synonyms_locale_unique", unique=True),
    _i("apiKeys", "createdAt", name="api_keys_created"),
    _i("orderEvents", "orderNumber", "eventId", name="one_event_per_id", unique=True),
    _i("orders", "orderNumber", name="order_number_unique", unique=True),
    # Shoppers' spellings of a number ("#gg 11982"): not unique, the store's numbers are.
    _i("orders", "orderKey", name="order_key"),
    _i("capsules", "capsuleId", name="capsule_id_unique", unique=True),
    _i("capsuleHolds", "holdId", name="hold_id_unique", unique=True),
    _i("capsuleHolds", "capsuleId", "email", name="one_active_hold_per_email",
       unique=True, partial=ACTIVE),
    _i("capsuleHolds", "capsuleId", "slot", name="one_active_hold_per_slot",
       unique=True, partial=ACTIVE),
    _i("capsuleHolds", "capsuleId", "status", "expiresAt", name="capsule_status_expiry"),
    # The caps on active holds per client address and per session count these.
    _i("capsuleHolds", "client", "status", "expiresAt", name="holds_by_client"),
    _i("capsuleHolds", "sessionId", "status", "expiresAt", name="holds_by_session"),
    _i("capsuleHolds", "expiresAt", name="ttl_holds", ttl_retention="capsuleHolds"),
    _i("widgetShortlists", "shortlistId", name="shortlist_id_unique", unique=True),
    _i("widgetShortlists", "updatedAt", name="ttl_shortlists",
       ttl_retention="widgetShortlists"),
    _i("returns", "rmaNumber", name="rma_unique", unique=True),
    _i("returns", "orderNumber", "createdAt", name="order_returns"),
    _i("returns", "createdAt", name="ttl_returns", ttl_retention="returns"),
    _i("returns", "status", ("createdAt", -1), name="returns_by_status"),
    # Back-in-stock alerts: `waiting` (the sku) and `waitingKey` (sku and email) exist only
    # while an alert waits. Sparse, not partial: the embedded store checks a partial unique
    # index by scanning the collection on every insert, a sparse one by a lookup.
    _i("stockAlerts", "alertId", name="alert_id_unique", unique=True),
    _i("stockAlerts", "waitingKey", name="one_waiting_alert_per_email", unique=True,
       options={"sparse": True}),
    _i("stockAlerts", "waiting", "createdAt", "alertId", name="alerts_waiting_oldest_first",
       partial={"waiting": {"$exists": True}}),
    _i("stockAlerts", "createdAt", name="ttl_stock_alerts", ttl_retention="stockAlerts"),
    _i("stockAlerts", "email", name="stock_alerts_by_email"),
    _i("stockRestocks", "dueAt", name="restocks_due"),
    _i("idempotencyKeys", "createdAt", name="ttl_idempotency",
       ttl_retention="idempotencyKeys"),
    _i("stylistTickets", "ticketNumber", name="ticket_unique", unique=True),
    _i("stylistTickets", "ticketId", name="ticket_page_id_unique", unique=True,
       partial={"ticketId": {"$exists": True}}),
    _i("stylistTickets", "createdAt", name="ttl_tickets", ttl_retention="stylistTickets"),
    _i("stylistTickets", "status", ("createdAt", -1), name="tickets_by_status"),
    # Stylist tickets stored before conversations have none (conversations/service.py).
    _i("stylistTickets", "conversationId", name="tickets_by_conversation"),
    _i("conversations", "conversationId", name="conversation_id_unique", unique=True),
    _i("staffAccounts", "email", name="staff_email_unique", unique=True),
    _i("conversations", "ticketNumber", name="conversation_per_ticket", unique=True,
       partial={"ticketNumber": {"$exists": True}}),
    _i("conversations", "status", ("updatedAt", -1), name="conversations_by_status"),
    _i("conversations", "email", ("createdAt", -1), name="conversations_by_email"),
    _i("conversations", "orderKey", ("createdAt", -1), name="conversations_by_order"),
    _i("conversations", "firstReplyAt", name="conversations_first_reply"),
    _i("conversations", "updatedAt", name="ttl_conversations", ttl_retention="conversations"),
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
    # A shopper's data found by her email and her widget session (concierge/privacy).
    _i("orders", "email", name="orders_by_email"),
    _i("returns", "email", name="returns_by_email"),
    _i("capsuleHolds", "email", name="holds_by_email"),
    _i("stylistTickets", "email", name="tickets_by_email"),
    _i("orderSubscriptions", "destination", name="subscriptions_by_destination"),
    _i("widgetShortlists", "sessionId", name="shortlists_by_session"),
    _i("widgetInspiration", "sessionId", name="uploads_by_session"),
    _i("outbox", "subjects", name="outbox_by_subject"),
    _i("idempotencyKeys", "body.rmaNumber", name="replays_by_rma"),
    _i("idempotencyKeys", "body.ticketNumber", name="replays_by_ticket"),
    # Store-platform webhooks (concierge/integrations): delivery ids kept 48 hours, which
    # covers Shopify's retries, to answer a repeat `duplicate`; the console's log of the
    # latest per platform; the platform's ids of products and orders.
    _i("platformWebhookIds", "receivedAt", name="ttl_platform_webhook_ids",
       ttl_seconds=48 * 3600),
    _i("platformDeliveries", "platform", ("receivedAt", -1), name="deliveries_by_platform"),
    _i("platformDeliveries", "receivedAt", name="ttl_platform_deliveries",
       ttl_retention="platformDeliveries"),
    _i("platformLinks", "platform", "inventoryItems", name="links_by_inventory_item"),
    _i("platformLinks", "orderNumber", name="links_by_order"),
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
        self.missing_indexes: dict[str, str] = {}  # declared indexes start-up could not make
        self._server_store: ServerStore | None = None
        self._transactions: bool | None = None  # whether MongoDB has them (None: not known)

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
                    # Kept: every query of every request asks for it.
                    if self.config.embedded:
                        self._database = Locked(self._client[self.config.MONGO_DB],
                                                self._lock, self.observers, self.journal)
                    else:
                        # The primary, whatever the URI asks: requests read what they
                        # (and the request before) just wrote, such as idempotency keys.
                        self._database = Failover(self._client.get_database(
                            self.config.MONGO_DB, read_preference=ReadPreference.PRIMARY))
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
        # No socket timeout: it would also cut index builds and long reports short; those
        # that need a bound carry maxTimeMS. Server selection fails fast (health answers
        # within 3 s); writes wait out an election in Failover instead.
        return pymongo.MongoClient(
            self.config.MONGO_URI,
            connect=False,
            tz_aware=True,
            serverSelectionTimeoutMS=2000,
            connectTimeoutMS=2000,
            retryWrites=True,
            retryReads=True,
            appname="aurora-concierge",
        )

    def _embedded_store(self) -> ServerStore:
        """Return the embedded store: in memory, or read back from its data folder."""
        if self.config.data_dir is None:
            self._server_store = ServerStore()
            return self._server_store
        disk = durable.Disk.open(self.config.data_dir)
        store = ServerStore(durable.Journal(disk, defer=_defer_to_response))
        try:
            # Indexes before documents: mongomock checks a new unique index against every
            # document, partial filter ignored, so two released holds of one slot would
            # refuse one_active_hold_per_slot if it were made after them.
            self.missing_indexes = ensure_indexes(
                mongomock.MongoClient(_store=store)[self.config.MONGO_DB],
                self.config.RETENTION_DAYS).failed
            self.loaded = durable.load(disk, store.place)
        except Exception:
            disk.close()
            raise
        self.journal, self._server_store = store.journal, store
        return store

    def run_transaction(self, work: Callable[[Transaction], T]) -> T:
        """Run work(transaction) all or nothing, and return what it returns.

        MongoDB: a multi-document transaction (replica sets and sharded clusters;
        `transaction.session` goes to every call, and pymongo retries it on a
        transient error).  A standalone MongoDB has none: work runs with
        `atomic` False and must repair what a failure leaves.  The embedded
        store: under its lock, a failure puts every changed document back, and
        the disk receives all the changes at once or none.
        """
        self.database()
        if self.config.embedded:
            return self._embedded_transaction(work)
        if self._transactions is not False:
            try:
                with self._client.start_session() as session:
                    result = session.with_transaction(
                        lambda s: work(Transaction(s, True)),
                        read_preference=ReadPreference.PRIMARY,
                        write_concern=WriteConcern("majority"))
                self._transactions = True
                return result
            except (NotImplementedError, pymongo.errors.ConfigurationError):
                self._transactions = False  # mongomock, or a client that cannot start one
            except pymongo.errors.OperationFailure as error:
                if error.code not in NO_TRANSACTIONS or self._transactions:
                    raise
                log.warning("MongoDB has no transactions (a standalone server): writes "
                            "across documents are repaired on failure instead; production "
                            "needs a replica set (docs/deploy.md)")
                self._transactions = False
        return work(Transaction(None, False))

    def _embedded_transaction(self, work):
        watch, staged = self._server_store.watch, 0
        with self._lock:
            if watch.undo is not None:  # nested: the outer transaction covers it
                return work(Transaction(None, True))
            watch.undo = Undo()
            if self.journal is not None:
                self.journal.holding += 1
            try:
                result = work(Transaction(None, True))
            except BaseException:
                watch.undo.rollback()
                raise
            finally:
                watch.undo = None
                if self.journal is not None:
                    self.journal.holding -= 1
                    staged = self.journal.stage()
        if staged:
            self.journal.settle(staged)
        return result

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


# MongoDB's codes for an index that exists under the name with other options or keys.
INDEX_CONFLICTS = (85, 86)


@dataclass
class IndexReport:
    """What ensure_indexes made of the declared indexes."""

    created: list[str] = field(default_factory=list)  # in place, as declared
    changed: list[str] = field(default_factory=list)  # a TTL changed in place (collMod)
    failed: dict[str, str] = field(default_factory=dict)  # name → why it is missing

    @property
    def ok(self) -> bool:
        """Tell whether every declared index is in place."""
        return not self.failed


def ensure_indexes(db, retention_days: dict) -> IndexReport:
    """Create every declared index, change TTLs in place, report what could not be made.

    One failure never stops the others: a unique index missing behind a refused
    TTL change would let concurrent writes duplicate what it guards.
    """
    report, mocked = IndexReport(), isinstance(db, (Locked, mongomock.Database))
    made: dict[str, dict] = {}
    for index in INDEXES:
        options = index.kwargs(retention_days, mocked)
        if mocked and _already_made(db, index, options, made):
            # mongomock checks a unique index against every document again, partial
            # filter ignored, even when it exists as asked; MongoDB does nothing then.
            report.created.append(index.name)
            continue
        try:
            # create_index, not create_indexes: mongomock drops
            # partialFilterExpression given through IndexModel.
            db[index.collection].create_index(list(index.keys), **options)
            report.created.append(index.name)
        # Refused by the server; an unreachable one raises (nothing after would succeed).
        except pymongo.errors.OperationFailure as error:
            if "expireAfterSeconds" in options and _options_conflict(error):
                try:
                    _change_ttl(db, index, options)
                    report.changed.append(index.name)
                    continue
                except pymongo.errors.OperationFailure as again:
                    error = again
            report.failed[index.name] = str(error)[:300]
    return report


def _already_made(db, index: Index, options: dict, made: dict[str, dict]) -> bool:
    """Tell whether the embedded store holds this index with these options."""
    if index.collection not in made:
        made[index.collection] = db[index.collection].index_information()
    found = dict(made[index.collection].get(index.name) or {})
    found.pop("v", None)
    wanted = {"key": list(index.keys),
              **{key: value for key, value in options.items() if key != "name"}}
    return found == wanted


def _options_conflict(error: pymongo.errors.PyMongoError) -> bool:
    # mongomock says so without a code; MongoDB with IndexOptionsConflict (85).
    return (getattr(error, "code", None) in INDEX_CONFLICTS
            or "already exists with different options" in str(error))


def _change_ttl(db, index: Index, options: dict) -> None:
    """Give an existing TTL index its new expireAfterSeconds (MongoDB's collMod)."""
    try:
        db.command({"collMod": index.collection,
                    "index": {"name": index.name,
                              "expireAfterSeconds": options["expireAfterSeconds"]}})
    except NotImplementedError:  # mongomock (the embedded store) has no collMod
        db[index.collection].drop_index(index.name)
        db[index.collection].create_index(list(index.keys), **options)
