"""The one outbox: every event the store's systems or a shopper must hear of.

A message is written in the request that makes the event and delivered later
by background workers: a signed webhook (Standard Webhooks) and, when the
event names a shopper, an email, each its own delivery document, retried
with backoff until delivered or given up.
"""

from __future__ import annotations

from flask import Flask

from .mailer import email_time, status_words
from .service import COLLECTION, collapse, enqueue, retry
from .worker import Workers

__all__ = ["COLLECTION", "collapse", "enqueue", "init_app", "retry"]


def init_app(app: Flask) -> None:
    """Register the email filters and this process's delivery threads (not yet started)."""
    config = app.config["CONCIERGE"]
    app.add_template_filter(email_time, "email_time")
    app.add_template_filter(status_words, "status_words")
    if not config.OUTBOX_WORKER:
        return
    workers = app.extensions["concierge_outbox"] = Workers(app)
    app.before_request(workers.ensure_started)
