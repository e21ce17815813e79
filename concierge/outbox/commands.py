"""flask concierge deliver and flask concierge retry (MongoDB deployments)."""

from __future__ import annotations

from time import sleep

import click
from flask import current_app
from flask.cli import with_appcontext

from .. import audit
from ..db import get_db
from . import repository, service, worker


def _config_for_mongodb():
    config = current_app.config["CONCIERGE"]
    if config.embedded:
        raise click.ClickException(
            "No MONGO_URI: the embedded store lives inside the server process, which "
            "delivers its own outbox (and the console retries there). This command "
            "would only see an empty in-memory store.")
    return config


@click.command("deliver")
@click.option("--once/--loop", default=False,
              help="Deliver what is due and exit, or keep polling (default).")
@with_appcontext
def deliver_command(once: bool):
    """Deliver the outbox (webhook and email) from this machine, beside the servers."""
    config = _config_for_mongodb()
    which = worker.channels(config)
    if not which:
        raise click.ClickException("Nothing to deliver to: set CONCIERGE_WEBHOOK_URL and "
                                   "CONCIERGE_WEBHOOK_SECRET, or CONCIERGE_SMTP_URL.")
    click.echo(f"Delivering {', '.join(which)} from the outbox.")
    while True:
        counts = worker.deliver_due(config, get_db(), which)
        if any(counts.values()):
            click.echo(", ".join(f"{n} {what}" for what, n in counts.items()))
        elif once:
            return
        else:
            sleep(config.OUTBOX_POLL_SECONDS)


@click.command("retry")
@click.argument("message_ids", nargs=-1)
@click.option("--all-failed", is_flag=True, help="Retry every delivery marked failed.")
@with_appcontext
def retry_command(message_ids: tuple[str, ...], all_failed: bool):
    """Send failed outbox deliveries again now (by delivery or event id)."""
    _config_for_mongodb()
    db = get_db()
    if all_failed:
        # By event: one retry per event covers all its failed deliveries.
        message_ids += tuple(dict.fromkeys(doc["eventId"] for doc in repository.failed(db)))
    if not message_ids:
        raise click.UsageError("Name a message id or pass --all-failed.")
    total = 0
    for message_id in message_ids:
        count = service.retry(db, message_id)
        total += count
        if count:
            audit.record("outbox.retried", message_id, who=audit.command_line(),
                         deliveries=count)
        if not count:
            click.echo(f"{message_id}: no failed or waiting delivery has this id", err=True)
    click.echo(f"{total} deliveries due again now.")
