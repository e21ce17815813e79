"""Back up, restore and move the embedded store: consistent copies of its SQLite file."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import bson
import bson.errors
from pymongo import ReplaceOne

from . import durable
from .db import ensure_indexes
from .durable import DataDirError

COPY_BATCH = 1_000  # documents per bulk_write into MongoDB

Progress = Callable[[str, int, int], None]  # (collection, done, total)


def _quiet(_collection: str, _done: int, _total: int) -> None:
    pass


def _store_file(folder: Path) -> Path:
    path = folder / durable.FILE_NAME
    if not path.exists() or path.stat().st_size == 0:
        raise DataDirError(f"there is no store in {folder} (no {durable.FILE_NAME}); "
                           "check CONCIERGE_DATA_DIR.")
    return path


def backup(folder: Path, destination: Path) -> dict[str, int]:
    """Write a consistent copy of the folder's store to `destination`; return its counts.

    SQLite's online backup copies the pages inside one read transaction, so
    the copy is the store as of one moment even while a server writes to it.
    The copy is written beside the destination and renamed into place.
    """
    source = durable.connect(_store_file(folder))
    partial = destination.with_name(destination.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy)  # every page in one step: one consistent snapshot
            copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            durable.check_file(copy, destination, thorough=True)
            found = _by_collection(durable.counts(copy))
        finally:
            copy.close()
        _fsync(partial)
        os.replace(partial, destination)
        _fsync(destination.parent)
    except sqlite3.Error as error:
        partial.unlink(missing_ok=True)
        raise DataDirError(f"could not write the backup to {destination}: {error}.") from None
    finally:
        source.close()
    return found


def check_backup(path: Path, progress: Progress = _quiet) -> dict[str, int]:
    """Raise DataDirError unless `path` is a whole, readable backup; return its counts."""
    if not path.is_file():
        raise DataDirError(f"{path} is not a file.")
    try:
        conn = durable.connect(path, read_only=True)
    except sqlite3.Error as error:
        raise DataDirError(f"{path} cannot be read: {error}.") from None
    try:
        durable.check_file(conn, path, thorough=True)
        found = durable.counts(conn)
        done: dict = {}
        for _db, coll, _doc in durable.rows(conn):  # every document decodes
            done[coll] = done.get(coll, 0) + 1
            progress(coll, done[coll], found[(_db, coll)])
    except (sqlite3.DatabaseError, bson.errors.BSONError) as error:
        raise DataDirError(f"{path} is not a readable backup ({error}).") from None
    finally:
        conn.close()
    return _by_collection(found)


def restore(path: Path, folder: Path, progress: Progress = _quiet) -> dict[str, int]:
    """Replace the folder's store with the backup at `path`; refuse while a server holds it."""
    found = check_backup(path, progress)  # before the store is touched at all
    target = durable.Folder(folder)
    target.prepare()
    try:
        target.lock()
    except DataDirError:
        raise DataDirError(
            f"a server holds the data folder {folder}: stop it, then restore "
            "(a restore replaces everything the server holds in memory).") from None
    try:
        source = durable.connect(path, read_only=True)
        store = durable.connect(target.file)
        try:
            # The backup API swaps every page in one transaction: all of the copy or none.
            store.execute("PRAGMA journal_mode = DELETE")
            source.backup(store)
            store.execute("PRAGMA journal_mode = WAL")
        finally:
            store.close()
            source.close()
    except sqlite3.Error as error:
        raise DataDirError(f"could not restore into {folder}: {error}.") from None
    finally:
        target.unlock()
    return found


def copy_to_mongo(folder: Path, database, retention_days: dict,
                  progress: Progress = _quiet) -> dict[str, dict]:
    """Copy every document of the folder's store into MongoDB `database`, indexes first.

    Each document replaces the one with its _id (or is inserted), so running
    the copy again changes nothing; returns counts per collection.
    """
    report = ensure_indexes(database, retention_days)
    if not report.ok:
        raise DataDirError(f"MongoDB refused indexes ({', '.join(report.failed)}); nothing "
                           "was copied: run `flask concierge init-db` to see why.")
    conn = durable.connect(_store_file(folder), read_only=True)
    results: dict[str, dict] = {}
    try:
        conn.execute("BEGIN")  # one read transaction: a consistent copy while a server writes
        for (db, coll), total in durable.counts(conn).items():
            counted = results.setdefault(
                coll, {"copied": 0, "new": 0, "updated": 0, "unchanged": 0})
            batch: list = []
            for doc in durable.documents(conn, db, coll):
                batch.append(ReplaceOne({"_id": doc["_id"]}, doc, upsert=True))
                if len(batch) >= COPY_BATCH:
                    _write(database[coll], batch, counted)
                    progress(coll, counted["copied"], total)
                    batch = []
            _write(database[coll], batch, counted)
            progress(coll, counted["copied"], total)
    finally:
        conn.close()
    return results


def _write(collection, batch: list, counted: dict) -> None:
    if not batch:
        return
    outcome = collection.bulk_write(batch, ordered=False)
    counted["copied"] += len(batch)
    counted["new"] += outcome.upserted_count
    counted["updated"] += outcome.modified_count
    counted["unchanged"] += outcome.matched_count - outcome.modified_count


def _by_collection(found: dict[tuple[str, str], int]) -> dict[str, int]:
    counted: dict[str, int] = {}
    for (_db, coll), n in found.items():
        counted[coll] = counted.get(coll, 0) + n
    return counted


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
