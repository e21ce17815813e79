"""flask concierge verify: produce the verification certificate from real runs."""

from __future__ import annotations

import base64
import contextlib
import secrets
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ..config import Config
from . import clamd
from .runner import SKIPPABLE, run
from .targets import gunicorn_target, remote_target


@click.command("verify")
@click.option("--base-url", default=None, metavar="URL",
              help="Verify this running deployment instead of starting gunicorn. "
                   "MongoDB rows are checked only when MONGO_URI is set.")
@click.option("--report-dir", default="reports", show_default=True, type=click.Path(),
              help="Where verification.md, verification.json and the screenshot go.")
@click.option("--strict", is_flag=True,
              help="Also fail on warnings and skipped rows (e.g. no malware scanner).")
@click.option("--skip", "skip", multiple=True, type=click.Choice(SKIPPABLE),
              help="Leave out a slow run (repeatable).")
@click.option("--load-requests", default=300, show_default=True,
              type=click.IntRange(20, 5000), help="Requests in the load run.")
@click.pass_context
@with_appcontext
def verify_command(click_ctx, base_url, report_dir, strict, skip, load_requests):
    """Walk every journey over HTTP, cross-check MongoDB, drive the widget, write the report."""
    config = current_app.config["CONCIERGE"]
    report_path = Path(report_dir)
    with contextlib.ExitStack() as stack:
        if base_url:
            target = remote_target(base_url, config)
        else:
            if not config.CONCIERGE_ADMIN_TOKEN:  # our own server: exercise the admin queue
                config = config.with_overrides(
                    {"CONCIERGE_ADMIN_TOKEN": secrets.token_urlsafe(24)})
            if not config.CONCIERGE_MERCHANT_KEY:  # and the merchant API
                config = config.with_overrides(
                    {"CONCIERGE_MERCHANT_KEY": secrets.token_urlsafe(24)})
            config, scanner = own_scanner(config, stack)
            config, receivers = own_receivers(config, stack)
            target = gunicorn_target(config, report_path, scanner=scanner,
                                     receivers=receivers)
        status = _run(target, config, report_path, strict, skip, load_requests)
    click_ctx.exit(status)


def own_scanner(config: Config, stack: contextlib.ExitStack) -> tuple[Config, dict | None]:
    """Give our own server a scanner: CONCIERGE_CLAMD_URL, else a local clamd if installed.

    The local clamd (stopped when `stack` closes) loads only the project's test
    signature; the returned description says so for the report.
    """
    if config.CONCIERGE_CLAMD_URL:
        return config, {"url": config.CONCIERGE_CLAMD_URL, "local": False,
                        "database": "the signatures of the clamd at CONCIERGE_CLAMD_URL"}
    if not clamd.available():
        return config, None
    try:
        url = stack.enter_context(clamd.local_clamd())
    except RuntimeError as error:  # installed but broken: the row says why it is unproven
        click.echo(f"local clamd did not start: {error}", err=True)
        return config, {"url": None, "local": True, "error": str(error)}
    return (config.with_overrides({"CONCIERGE_CLAMD_URL": url}),
            {"url": url, "local": True, "database": clamd.DATABASE})


def own_receivers(config: Config, stack: contextlib.ExitStack) -> tuple[Config, dict | None]:
    """Give our own server a local webhook receiver and SMTP server, unless it has its own."""
    if config.CONCIERGE_WEBHOOK_URL or config.CONCIERGE_SMTP_URL:
        return config, None  # the operator's receivers: this run cannot watch them
    try:
        from .receivers import MailServer, WebhookReceiver
    except ImportError:  # aiosmtpd is a test extra
        return config, None
    hook, mail = WebhookReceiver(), MailServer().up()
    stack.callback(hook.down)
    stack.callback(mail.down)
    secret = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
    return config.with_overrides({
        "CONCIERGE_WEBHOOK_URL": hook.url, "CONCIERGE_WEBHOOK_SECRET": secret,
        "CONCIERGE_SMTP_URL": mail.url, "CONCIERGE_MAIL_FROM": "concierge@verify.example",
    }), {"hook": hook, "mail": mail, "secret": secret}


def _run(target, config: Config, report_path: Path, strict: bool, skip, load_requests) -> int:
    try:
        with target as server:
            _, status = run(server, config, report_path, strict=strict, skip=tuple(skip),
                            load_requests=load_requests,
                            echo=click.echo)  # click.echo flushes each progress line
    except RuntimeError as error:  # the server did not start or does not answer /health
        raise click.ClickException(f"nothing to verify: {error}") from None
    return status
