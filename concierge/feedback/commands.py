"""flask concierge deliver-notifications (being built)."""

import click


@click.command("deliver-notifications")
def deliver_notifications_command():
    """Deliver the agent notification outbox to the webhook."""
    raise click.ClickException("not built yet")
