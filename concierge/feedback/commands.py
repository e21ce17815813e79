"""flask concierge deliver-notifications."""

from __future__ import annotations

from time import sleep

import click
from flask import current_app
from flask.cli import with_appcontext

from ..db import get_db
from ..events import now
from .outbox import deliver_due


@click.command("deliver-notifications")
@click.option("--once/--loop", default=True,
              help="Deliver what is due and exit (default), or keep polling.")
@click.option("--interval", type=click.FloatRange(min=0.1), default=5.0, show_default=True,
              help="Seconds between polls with --loop.")
@with_appcontext
def deliver_notifications_command(once: bool, interval: float):
    """Deliver the agent notification outbox to CONCIERGE_AGENT_WEBHOOK_URL."""
    url = current_app.config["CONCIERGE_AGENT_WEBHOOK_URL"]
    if not url:
        raise click.ClickException("CONCIERGE_AGENT_WEBHOOK_URL is not set.")
    while True:
        counts = deliver_due(get_db(), url, now())
        if once or counts["delivered"] or counts["failed"]:
            click.echo(f"{counts['delivered']} delivered, {counts['failed']} failed "
                       "(retried later).")
        if once:
            return
        sleep(interval)
