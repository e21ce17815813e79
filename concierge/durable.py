"""Keep the embedded store on disk: SQLite in WAL mode beneath mongomock, one process a folder.

mongomock stays the query engine and holds every document in memory; this
module keeps the durable copy.  Each write call of the embedded store stages
the documents it changed (encoded as BSON while the store's lock is held) and
waits, before it returns, until a SQLite transaction holding them has been
committed with `synchronous=FULL`: a 2xx answer is on disk.  Commits are
grouped: the thread that commits takes every change staged so far, so one
fsync covers every thread waiting at that moment, and the store's lock is
never held across an fsync.  Start-up reads the documents back in the order
they were first written.
"""

from __future__ import annotations

import errno
import fcntl
import functools
import logging
import os
import secrets
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import bson
import bson.errors
from pymongo.errors import PyMongoError

log = logging.getLogger(__name__)

FILE_NAME = "concierge.sqlite3"
LOCK_NAME = "concierge.lock"
APPLICATION_ID = 0x41434F4E  # "ACON": tells our files from any other SQLite file
SCHEMA_VERSION = 1
# Rows per executemany while loading and copying: bounded memory, few round trips.
BATCH = 2_000

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    db TEXT NOT NULL,
    coll TEXT NOT NULL,
    key BLOB NOT NULL,
    doc BLOB NOT NULL,
    PRIMARY KEY (db, coll, key)
)
"""
# Upserts that keep the row (and its rowid, the collection's natural order), several rows
# a statement: under a threaded server each statement gives up the GIL and waits to
# take it back, so a commit of many rows should run few statements.
_PUT_ROWS = (64, 16, 4, 1)  # statement sizes, largest first: a handful of cached statements


@functools.cache
def _put(rows: int) -> str:
    values = ", ".join(["(?, ?, ?, ?)"] * rows)  # placeholders only: every value is bound
    return ("INSERT INTO documents (db, coll, key, doc) VALUES " + values  # noqa: S608
            + " ON CONFLICT (db, coll, key) DO UPDATE SET doc = excluded.doc")


_DELETE = "DELETE FROM documents WHERE db = ? AND coll = ? AND key = ?"
_DROP = "DELETE FROM documents WHERE db = ? AND coll = ?"


class DataDirError(Exception):
    """A data folder the store cannot use: the server refuses to start with this line."""


class NotDurable(PyMongoError):
    """A write the store applied in memory but could not put on disk (answered 503)."""


def key_of(doc_id) -> bytes:
    """Return the bytes a document's _id is stored under."""
    return bson.encode({"_id": doc_id})


def connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    """Open a store file; read-only connections never create or change it."""
    if read_only:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                               check_same_thread=False)
    else:
        conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    conn.execute("PRAGMA busy_timeout = 10000")  # a backup reading at the same time
    return conn


def check_file(conn: sqlite3.Connection, where: Path, *, thorough: bool) -> None:
    """Raise DataDirError unless the connection holds a store file of a version we read."""
    try:
        application_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        problems = ([row[0] for row in conn.execute("PRAGMA quick_check")]
                    if thorough else ["ok"])
    except sqlite3.DatabaseError as error:
        raise DataDirError(f"{where} is not a readable concierge store ({error}).") from None
    if application_id != APPLICATION_ID or "documents" not in tables:
        raise DataDirError(f"{where} is not a concierge store file.")
    if version > SCHEMA_VERSION:
        raise DataDirError(f"{where} was written by a newer version (format {version}); "
                           "upgrade the concierge before opening it.")
    if problems != ["ok"]:
        raise DataDirError(f"{where} is damaged ({'; '.join(problems[:3])}); restore it from "
                           "a backup (flask concierge restore FILE).")


def rows(conn: sqlite3.Connection) -> Iterator[tuple[str, str, dict]]:
    """Yield (database, collection, document) in the order the documents were first written."""
    cursor = conn.execute("SELECT db, coll, doc FROM documents ORDER BY rowid")
    while batch := cursor.fetchmany(BATCH):
        for db, coll, doc in batch:
            yield db, coll, bson.decode(doc)


def documents(conn: sqlite3.Connection, db: str, coll: str) -> Iterator[dict]:
    """Yield one collection's documents in the order they were first written."""
    cursor = conn.execute("SELECT doc FROM documents WHERE db = ? AND coll = ? ORDER BY rowid",
                          (db, coll))
    while batch := cursor.fetchmany(BATCH):
        for (doc,) in batch:
            yield bson.decode(doc)


def counts(conn: sqlite3.Connection) -> dict[tuple[str, str], int]:
    """Return how many documents each (database, collection) holds."""
    return {(db, coll): n for db, coll, n in conn.execute(
        "SELECT db, coll, COUNT(*) FROM documents GROUP BY db, coll ORDER BY db, coll")}


class Folder:
    """A data folder, held by at most one process through an OS lock on its lock file.

    flock() locks belong to the open file: the kernel releases them when the
    process ends, however it ends, so a killed server never leaves a stale lock.
    """

    def __init__(self, path: Path):
        self.path = path
        self.file = path / FILE_NAME
        self._lock_fd: int | None = None

    def prepare(self) -> None:
        """Create the folder if needed; raise DataDirError unless it is writable."""
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise DataDirError(f"cannot create the data folder {self.path}: "
                               f"{error.strerror}.") from None
        probe = self.path / ".write-probe"
        try:  # a real write: permissions, read-only mounts and immutable folders alike
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as error:
            raise DataDirError(f"the data folder {self.path} is not a writable folder "
                               f"({error.strerror}); fix its permissions or set "
                               "CONCIERGE_DATA_DIR.") from None

    def lock(self) -> None:
        """Hold the folder for this process, or raise DataDirError naming the holder."""
        fd = os.open(self.path / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise DataDirError(
                f"another server (pid {holder}) holds the data folder {self.path}; stop it "
                "first, or give this one its own CONCIERGE_DATA_DIR.") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._lock_fd = fd

    def holder(self) -> str | None:
        """Return the pid holding the folder, or None when nobody does (checks, holds nothing)."""
        try:
            fd = os.open(self.path / LOCK_NAME, os.O_RDONLY)
        except FileNotFoundError:
            return None
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
        finally:
            os.close(fd)  # closing drops the probe's own lock
        return None

    def unlock(self) -> None:
        """Let another process have the folder."""
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None


MERCHANT_KEY_FILE = "merchant.key"


def merchant_key(path: Path) -> str:
    """Return the data folder's merchant key, made once (every scope; file mode 0600)."""
    folder = Folder(path)
    folder.prepare()
    key_file = path / MERCHANT_KEY_FILE
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return key_file.read_text().strip()
    with os.fdopen(fd, "w") as out:  # first start: made here, kept for every later one
        out.write(secrets.token_urlsafe(32) + "\n")
        out.flush()
        os.fsync(out.fileno())
    return key_file.read_text().strip()


def check_folder(path: Path) -> None:
    """Raise DataDirError unless a server could open the folder now (holds nothing after)."""
    folder = Folder(path)
    folder.prepare()
    holder = folder.holder()
    if holder is not None:
        raise DataDirError(
            f"another server (pid {holder}) holds the data folder {path}; stop it first, "
            "or give this one its own CONCIERGE_DATA_DIR.")
    if folder.file.exists() and folder.file.stat().st_size > 0:
        try:
            conn = connect(folder.file, read_only=True)
        except sqlite3.Error as error:
            raise DataDirError(f"cannot read {folder.file}: {error}.") from None
        try:
            check_file(conn, folder.file, thorough=True)
        finally:
            conn.close()


class Disk:
    """The SQLite file of a data folder this process holds: loads it, commits to it."""

    def __init__(self, folder: Folder):
        self.folder = folder
        self._conn: sqlite3.Connection | None = None

    @classmethod
    def open(cls, path: Path) -> Disk:
        """Take the folder and open (or create) its store; raise DataDirError if it cannot."""
        folder = Folder(path)
        folder.prepare()
        folder.lock()
        disk = cls(folder)
        try:
            disk._conn = _open_for_writing(folder.file)
        except BaseException:
            folder.unlock()
            raise
        return disk

    def rows(self) -> Iterator[tuple[str, str, dict]]:
        """Yield every stored document (see rows())."""
        return rows(self._conn)

    def write(self, changes: list[tuple]) -> None:
        """Apply (db, coll, key, doc) changes in one transaction (no doc: delete; no key: drop)."""
        conn = self._conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            puts: list = []
            for db, coll, key, doc in changes:
                if key is not None and doc is not None:
                    puts.append((db, coll, key, doc))
                    continue
                _put_rows(conn, puts)
                if key is None:
                    conn.execute(_DROP, (db, coll))
                else:
                    conn.execute(_DELETE, (db, coll, key))
            _put_rows(conn, puts)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def close(self) -> None:
        """Close the file and release the folder."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        self.folder.unlock()


def _put_rows(conn: sqlite3.Connection, puts: list[tuple]) -> None:
    """Upsert the (db, coll, key, doc) rows in order, then empty the list."""
    while puts:
        size = next(size for size in _PUT_ROWS if size <= len(puts))
        conn.execute(_put(size), [value for row in puts[:size] for value in row])
        del puts[:size]


def _open_for_writing(path: Path) -> sqlite3.Connection:
    existed = path.exists() and path.stat().st_size > 0
    try:
        conn = connect(path)
        # WAL: readers (a backup) never block the writer; FULL: every commit is fsynced.
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
    except sqlite3.OperationalError as error:
        raise DataDirError(f"cannot open {path}: {error}.") from None
    except sqlite3.DatabaseError as error:
        raise DataDirError(f"{path} is not a readable concierge store ({error}).") from None
    if existed:
        try:  # the whole file is read back next; gunicorn's start checked every page
            check_file(conn, path, thorough=False)
        except DataDirError:
            conn.close()
            raise
    else:
        try:
            conn.execute(SCHEMA)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except sqlite3.OperationalError as error:
            conn.close()
            raise DataDirError(f"cannot write {path}: {error}.") from None
    return conn


class Journal:
    """What the embedded store's write calls changed, committed before each call returns."""

    def __init__(self, disk: Disk, defer: Callable[[int], bool] | None = None):
        self.disk = disk
        # defer(number) → True when the caller will wait for `number` later (at the end of
        # its request, once for all its writes) rather than at the end of this call.
        self._defer = defer
        self._touched: dict = {}  # (collection store, key) → None, in the order touched
        self._dropped: list = []  # collection stores dropped in this call
        self._changes: list[tuple] = []  # staged, not yet committed
        self._staged = self._durable = 0  # sequence numbers of staged and committed calls
        self._changes_lock = threading.Lock()
        self._commit_lock = threading.Lock()
        self.error: Exception | None = None  # the last commit's failure, until one succeeds
        # Above 0 while a transaction runs: its changes are staged together at its end, so
        # the disk never holds part of one.
        self.holding = 0

    def touch(self, store, key) -> None:
        """Note a document a write changed (called under the store's lock)."""
        self._touched[(store, key)] = None

    def drop(self, store) -> None:
        """Note a collection emptied by drop() (called under the store's lock)."""
        self._touched = {item: None for item in self._touched if item[0] is not store}
        self._dropped.append(store)

    def stage(self) -> int:
        """Encode what the call changed; return the number to wait for (0: nothing changed).

        Called under the store's lock at the end of every call, so the staged
        changes follow each other in the order the store applied them.
        """
        if self.holding or (not self._touched and not self._dropped):
            return 0
        touched, dropped = self._touched, self._dropped
        self._touched, self._dropped = {}, []
        changes = [(store.db_name, store.name, None, None) for store in dropped]
        changes.extend((store.db_name, store.name, key_of(key), store.encoded(key))
                       for store, key in touched)
        with self._changes_lock:
            self._changes.extend(changes)
            self._staged += 1
            return self._staged

    def wait(self, number: int) -> None:
        """Return once change `number` is on disk; raise NotDurable if it cannot be put there."""
        if number <= self._durable:
            return
        with self._commit_lock:
            if number <= self._durable:
                return  # another thread's commit carried it
            with self._changes_lock:
                changes, self._changes = self._changes, []
                upto = self._staged
            try:
                self.disk.write(changes)
            except Exception as error:
                with self._changes_lock:  # kept, in order, for the next commit to retry
                    self._changes[:0] = changes
                self.error = error
                log.error("could not write the store to disk: %s", error)
                raise NotDurable(_why(error, self.disk.folder.path)) from error
            self._durable, self.error = upto, None

    def settle(self, number: int) -> None:
        """Wait for change `number` now, unless the caller waits for it later."""
        if self._defer is None or not self._defer(number):
            self.wait(number)

    def flush(self) -> None:
        """Put everything staged so far on disk."""
        self.wait(self._staged)


def _why(error: Exception, where: Path) -> str:
    text = str(error)
    if isinstance(error, sqlite3.OperationalError) and "full" in text:
        return f"the disk holding {where} is full"
    if isinstance(error, OSError) and error.errno == errno.ENOSPC:
        return f"the disk holding {where} is full"
    return f"could not write to {where}: {text}"


def load(disk: Disk, place: Callable[[str, str, dict], None]) -> int:
    """Hand every stored document to place(db, coll, doc); return how many there were."""
    loaded = 0
    try:
        for db, coll, doc in disk.rows():
            place(db, coll, doc)
            loaded += 1
    except (sqlite3.DatabaseError, bson.errors.BSONError) as error:
        raise DataDirError(f"{disk.folder.file} is damaged ({error}); restore it from a "
                           "backup (flask concierge restore FILE).") from None
    return loaded
