"""The one outbox: every event the store's systems or a shopper must hear of.

A message is written in the request that makes the event and delivered later
by background workers: a signed webhook (Standard Webhooks) and, when the
event names a shopper, an email, each its own delivery document, retried
with backoff until delivered or given up.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask

from .mailer import CONVERSATION_TOKEN, RECIPIENT_CHECK, email_money, email_time, status_words
from .service import COLLECTION, collapse, emails_waiting, enqueue, retry, wake
from .worker import BEFORE_EMAILS, Workers

__all__ = ["COLLECTION", "collapse", "emails_waiting", "enqueue", "init_app", "retry",
           "wake"]


def init_app(app: Flask, still_wanted: Callable[[dict], bool] | None = None,
             conversation_token: Callable[[str], str] | None = None,
             before_emails: Callable[[], int] | None = None) -> None:
    """Register the email filters and this process's delivery threads (not yet started).

    `still_wanted(context)` is asked before each email is sent: False skips it;
    `conversation_token(conversation_id)` gives the token of a conversation email's link;
    `before_emails()` runs in the email worker before each pass and returns how many
    emails it queued (a feature feeding the outbox at the mail server's pace).
    """
    config = app.config["CONCIERGE"]
    if still_wanted is not None:
        app.extensions[RECIPIENT_CHECK] = still_wanted
    if before_emails is not None:
        app.extensions[BEFORE_EMAILS] = before_emails
    if conversation_token is not None:
        app.extensions[CONVERSATION_TOKEN] = conversation_token
    app.add_template_filter(email_time, "email_time")
    app.add_template_filter(email_money, "email_money")
    app.add_template_filter(status_words, "status_words")
    if not config.OUTBOX_WORKER:
        return
    workers = app.extensions["concierge_outbox"] = Workers(app)
    app.before_request(workers.ensure_started)
