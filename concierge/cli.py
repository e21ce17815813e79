"""flask concierge … commands."""

from __future__ import annotations

import json

import click
from flask import current_app
from flask.cli import AppGroup

from .db import ensure_indexes, get_db
from .flags import FLAG_ID, bucket, get_flag, set_flag
from .merchant.commands import api_keys_cli, import_cli
from .outbox.commands import deliver_command, retry_command
from .outbox.migrate import migrate_agent_notifications
from .seeding import seed
from .verify.command import verify_command

concierge_cli = AppGroup("concierge", help="Aurora Concierge administration.")
concierge_cli.add_command(verify_command)
concierge_cli.add_command(deliver_command)
concierge_cli.add_command(retry_command)
concierge_cli.add_command(api_keys_cli)
concierge_cli.add_command(import_cli)


@concierge_cli.command("init-db")
def init_db_command():
    """Create every index (idempotent)."""
    names = ensure_indexes(get_db(), current_app.config["RETENTION_DAYS"])
    click.echo(f"{len(names)} indexes in place.")
    moved = migrate_agent_notifications(get_db())
    if moved:
        click.echo(f"{moved} agent notification(s) moved into the outbox.")


@concierge_cli.command("seed")
def seed_command():
    """Create the indexes and load seed_data/ (upserts: a second run changes nothing)."""
    ensure_indexes(get_db(), current_app.config["RETENTION_DAYS"])
    counts = seed(get_db())
    for collection, count in counts.items():
        click.echo(f"{collection:14} {count['inserted']:4} inserted "
                   f"{count['existing']:4} already present")


@concierge_cli.command("flags")
@click.option("--enable/--disable", default=None, help="Switch the real endpoints on or off.")
@click.option("--canary", type=click.IntRange(0, 100), default=None,
              help="Percent of sessions inside the canary (0-100).")
@click.option("--session", default=None, help="Show which bucket a session id falls in.")
def flags_command(enable, canary, session):
    """Show or change the concierge.realEndpointsEnabled flag."""
    db = get_db()
    flag = get_flag(db)
    if enable is not None or canary is not None:
        flag = set_flag(db, flag["enabled"] if enable is None else enable,
                        flag.get("canaryPercent", 0) if canary is None else canary)
    click.echo(json.dumps({"flag": FLAG_ID, "enabled": flag["enabled"],
                           "canaryPercent": flag.get("canaryPercent", 0)}))
    if session:
        click.echo(json.dumps({"session": session, "bucket": bucket(session)}))
