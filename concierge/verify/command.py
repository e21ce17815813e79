"""flask concierge verify (being built)."""

import click


@click.command("verify")
def verify_command():
    """Produce the verification certificate."""
    raise click.ClickException("not built yet")
