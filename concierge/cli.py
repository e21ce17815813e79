"""flask concierge … commands."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from marshmallow import ValidationError
from pymongo.errors import ConnectionFailure, PyMongoError

from . import audit, backup, durable
from .console import accounts
from .console.schemas import StaffAccountSchema
from .db import ensure_indexes, get_db, get_store
from .durable import DataDirError
from .flags import FLAG_ID, bucket, get_flag, set_flag
from .merchant.commands import api_keys_cli, import_cli
from .outbox.commands import deliver_command, retry_command
from .outbox.migrate import migrate_agent_notifications
from .privacy.commands import privacy_cli
from .seeding import own_data, prepare_store, seed
from .verify.command import verify_command

concierge_cli = AppGroup("concierge", help="Aurora Concierge administration.")
concierge_cli.add_command(verify_command)
concierge_cli.add_command(deliver_command)
concierge_cli.add_command(retry_command)
concierge_cli.add_command(api_keys_cli)
concierge_cli.add_command(import_cli)
concierge_cli.add_command(privacy_cli)


NOT_ON_EMBEDDED = ("No MONGO_URI: the embedded store lives in the memory of the running server, "
                   "so this command would only change a throwaway copy of it.")
AT_START_UP = ("The server creates its indexes and seeds the embedded store itself at "
               "start-up (make run); set MONGO_URI to {what} a MongoDB.")


def needs_mongodb(instead: str):
    """Refuse on the embedded default (saying what to do instead); report MongoDB in one line."""
    def decorator(command):
        @functools.wraps(command)
        def wrapper(*args, **kwargs):
            config = current_app.config["CONCIERGE"]
            if config.embedded:
                raise click.ClickException(f"{NOT_ON_EMBEDDED} {instead}")
            try:
                return command(*args, **kwargs)
            except PyMongoError as error:
                raise click.ClickException(_one_line(config.MONGO_URI, error)) from None
        return wrapper
    return decorator


def needs_store(instead: str):
    """Run on MONGO_URI, or on the embedded store's data folder while no server holds it.

    A server holding the folder keeps the store in its memory: a change made
    beside it would be lost, so the command refuses, saying what to do instead.
    """
    def decorator(command):
        @functools.wraps(command)
        def wrapper(*args, **kwargs):
            config = current_app.config["CONCIERGE"]
            if not config.embedded:
                return needs_mongodb(instead)(command)(*args, **kwargs)
            if config.data_dir is None:
                raise click.ClickException(
                    f"CONCIERGE_DATA_DIR=memory keeps nothing: there is no store to change. "
                    f"{instead}")
            holder = durable.Folder(config.data_dir).holder()
            if holder is not None:
                raise click.ClickException(
                    f"a server (pid {holder}) holds {config.data_dir}; its store lives in its "
                    f"memory, so this command would change nothing it serves. {instead}")
            store = get_store()
            try:
                return command(*args, **kwargs)
            except DataDirError as error:
                raise click.ClickException(str(error)) from None
            finally:
                store.close()  # on disk, and the folder free again
        return wrapper
    return decorator


def _one_line(uri: str, error: PyMongoError) -> str:
    where = re.sub(r"//[^@/]*@", "//", uri)  # never print the credentials
    reason = re.split(r" \(configured timeouts|, Timeout: ", str(error))[0][:300]
    if isinstance(error, ConnectionFailure):
        return f"MongoDB at {where} did not answer: {reason}. Is it running and reachable?"
    return f"MongoDB at {where} refused the command: {reason}"


@concierge_cli.command("init-db")
@needs_mongodb(AT_START_UP.format(what="index"))
def init_db_command():
    """Create every index (idempotent)."""
    report = ensure_indexes(get_db(), current_app.config["RETENTION_DAYS"])
    click.echo(f"{len(report.created) + len(report.changed)} indexes in place"
               + (f" ({len(report.changed)} TTL changed in place: "
                  f"{', '.join(report.changed)})." if report.changed else "."))
    if not report.ok:
        for name, why in report.failed.items():
            click.echo(f"missing {name}: {why}", err=True)
        raise click.ClickException(
            f"{len(report.failed)} of the declared indexes could not be created; the server "
            "reports degraded until they are (see above).")
    moved = migrate_agent_notifications(get_db())
    if moved:
        click.echo(f"{moved} agent notification(s) moved into the outbox.")


def _indexes_in_place() -> None:
    report = ensure_indexes(get_db(), current_app.config["RETENTION_DAYS"])
    if not report.ok:
        raise click.ClickException(f"indexes missing ({', '.join(report.failed)}): run "
                                   "`flask concierge init-db` to see why.")


@concierge_cli.command("init-store")
@needs_store("Stop the server first (it prepares an empty store itself at start).")
def init_store_command():
    """Prepare a store for production: every index, the concierge on, no demo data."""
    _indexes_in_place()
    flag = prepare_store(get_db())
    state = "on" if flag["enabled"] else "off (as the store set it; change it in the console)"
    click.echo(f"Store ready: every index in place, the concierge {state} for shoppers, "
               "no demo data. Next: import the catalogue and orders (docs/merchant.md).")


@concierge_cli.command("seed")
@needs_store("Stop the server first, or let it seed an empty store itself "
             "(CONCIERGE_SEED=demo).")
def seed_command():
    """Load the demo data (seed_data/); never into a store that holds its own."""
    _indexes_in_place()
    own = own_data(get_db())
    if own:
        raise click.ClickException(
            f"this store holds its own {', '.join(own)}: the demo data would be mixed "
            "into it, so nothing was written. Seed an empty store (another database or "
            "CONCIERGE_DATA_DIR) to try the demo.")
    counts = seed(get_db())
    for collection, count in counts.items():
        click.echo(f"{collection:14} {count['inserted']:4} inserted "
                   f"{count['existing']:4} already present")


@concierge_cli.command("flags")
@click.option("--enable/--disable", default=None, help="Switch the real endpoints on or off.")
@click.option("--canary", type=click.IntRange(0, 100), default=None,
              help="Percent of sessions inside the canary (0-100).")
@click.option("--session", default=None, help="Show which bucket a session id falls in.")
@needs_mongodb("Change the flag in the staff console (/console on the running server), "
               "or set MONGO_URI to the database the servers use.")
def flags_command(enable, canary, session):
    """Show or change the concierge.realEndpointsEnabled flag (MONGO_URI deployments)."""
    db = get_db()
    flag = get_flag(db)
    if enable is not None or canary is not None:
        before = {"enabled": flag["enabled"], "canaryPercent": flag.get("canaryPercent", 0)}
        flag = set_flag(db, flag["enabled"] if enable is None else enable,
                        flag.get("canaryPercent", 0) if canary is None else canary)
        audit.record("flag.changed", FLAG_ID, who=audit.command_line(), before=before,
                     after={"enabled": flag["enabled"],
                            "canaryPercent": flag.get("canaryPercent", 0)})
    click.echo(json.dumps({"flag": FLAG_ID, "enabled": flag["enabled"],
                           "canaryPercent": flag.get("canaryPercent", 0)}))
    if session:
        click.echo(json.dumps({"session": session, "bucket": bucket(session)}))


def _data_folder(*, purpose: str) -> Path:
    """Return the embedded store's data folder, or refuse saying where the data is instead."""
    config = current_app.config["CONCIERGE"]
    if not config.embedded:
        raise click.ClickException(
            f"MONGO_URI is set: the data lives in MongoDB. {purpose} it with MongoDB's own "
            "tools (mongodump / mongorestore, see docs/backup.md).")
    if config.data_dir is None:
        raise click.ClickException(
            "CONCIERGE_DATA_DIR=memory keeps nothing on disk: there is no store to "
            f"{purpose.lower()}.")
    return config.data_dir


def _progress(collection: str, done: int, total: int) -> None:
    """Say how far a long run is, every 10,000 documents of a large collection."""
    if total > 10_000 and (done % 10_000 == 0 or done == total):
        click.echo(f"  {collection}: {done:,} of {total:,}", err=True)


def _echo_counts(counts: dict[str, int]) -> None:
    for collection, count in sorted(counts.items()):
        click.echo(f"  {collection:26} {count:8,}")


@concierge_cli.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(file: Path):
    """Write a consistent copy of the embedded store to FILE (safe while the server runs)."""
    folder = _data_folder(purpose="Back up")
    try:
        counts = backup.backup(folder, file)
    except DataDirError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backed up {sum(counts.values()):,} documents in {len(counts)} collections "
               f"from {folder} to {file}:")
    _echo_counts(counts)


@concierge_cli.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def restore_command(file: Path):
    """Replace the embedded store with the backup FILE (the server must be stopped)."""
    folder = _data_folder(purpose="Restore")
    click.echo(f"Checking {file}…", err=True)
    try:
        counts = backup.restore(file, folder, _progress)
    except DataDirError as error:
        raise click.ClickException(f"{error} Nothing was changed.") from None
    click.echo(f"Restored {sum(counts.values()):,} documents in {len(counts)} collections "
               f"from {file} into {folder}:")
    _echo_counts(counts)


@concierge_cli.command("copy-to-mongo")
def copy_to_mongo_command():
    """Copy every collection and index of the embedded store into MONGO_URI (idempotent)."""
    config = current_app.config["CONCIERGE"]
    if config.embedded:
        raise click.ClickException(
            "Set MONGO_URI to the MongoDB to copy into; CONCIERGE_DATA_DIR names the embedded "
            "store to copy from (var/ by default).")
    folder = config.data_folder
    if folder is None:
        raise click.ClickException("CONCIERGE_DATA_DIR=memory: there is no store to copy.")
    try:
        results = backup.copy_to_mongo(folder, get_db(), config.RETENTION_DAYS, _progress)
    except DataDirError as error:
        raise click.ClickException(str(error)) from None
    except PyMongoError as error:
        raise click.ClickException(_one_line(config.MONGO_URI, error)) from None
    where = re.sub(r"//[^@/]*@", "//", config.MONGO_URI)
    click.echo(f"Copied {folder} into {config.MONGO_DB} at {where} (indexes first):")
    for collection, counted in sorted(results.items()):
        click.echo(f"  {collection:26} {counted['copied']:8,} copied: {counted['new']:,} new, "
                   f"{counted['updated']:,} updated, {counted['unchanged']:,} unchanged")


staff_cli = AppGroup("staff", help="Staff accounts of the console (admin or agent).")
concierge_cli.add_command(staff_cli)
STAFF_INSTEAD = ("Stop the server first, or add and remove accounts on the console's Staff "
                 "page (/console/staff, signed in as an admin).")


@staff_cli.command("add")
@click.argument("email")
@click.option("--name", required=True, help="The person's name, shown in the audit and inbox.")
@click.option("--role", type=click.Choice(accounts.ROLES), default="agent", show_default=True,
              help="admin: every page; agent: conversations, returns and moderation.")
@click.password_option(help=f"At least {accounts.PASSWORD_MIN} characters (asked when left out).")
@needs_store(STAFF_INSTEAD)
def staff_add_command(email, name, role, password):
    """Add a staff account that signs in to the console with EMAIL and a password."""
    try:
        found = StaffAccountSchema().load({"name": name, "email": email, "role": role,
                                           "password": password})
    except ValidationError as error:
        raise click.UsageError("; ".join(f"{field}: {' '.join(messages)}" for field, messages
                                         in error.messages.items())) from None
    _indexes_in_place()
    try:
        account = accounts.add(**found)
    except accounts.AccountExists as error:
        raise click.ClickException(str(error)) from None
    audit.record("staff.added", account["email"], who=audit.command_line(),
                 role=account["role"], name=account["name"])
    click.echo(f"{account['name']} <{account['email']}> can sign in to the console as "
               f"{account['role']}.")


@staff_cli.command("remove")
@click.argument("email")
@needs_store(STAFF_INSTEAD)
def staff_remove_command(email):
    """Remove the staff account of EMAIL (its sessions end at their next request)."""
    try:
        account = accounts.remove(email)
    except accounts.AccountNotFound as error:
        raise click.ClickException(str(error)) from None
    audit.record("staff.removed", account["email"], who=audit.command_line(),
                 role=account["role"])
    click.echo(f"{account['name']} <{account['email']}> can no longer sign in.")


@staff_cli.command("list")
@needs_store(STAFF_INSTEAD.replace("add and remove accounts on", "see them on"))
def staff_list_command():
    """List the staff accounts: email, role, name."""
    found = accounts.listed()
    if not found:
        click.echo("No staff accounts: the admin token signs in to the console.")
    for account in found:
        click.echo(f"{account['email']:40} {account['role']:6} {account['name']}")
