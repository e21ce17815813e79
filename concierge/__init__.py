"""Aurora Concierge: the storefront concierge API and widget."""

from __future__ import annotations

import logging

import click
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import (
    compression,
    console,
    db,
    durable,
    errors,
    events,
    i18n,
    json_answers,
    logs,
    metrics,
    outbox,
    request_ids,
    security_headers,
    startup,
)
from .application import Concierge
from .config import Config
from .conversations.service import add_token
from .extensions import limiter
from .products import stock
from .stock_alerts import service as stock_alerts
from .subscriptions.service import still_subscribed

log = logging.getLogger(__name__)


def create_app(config: Config | dict | None = None) -> Flask:
    """Build the app: settings, extensions, blueprints, error handlers, commands."""
    settings = _settings(config)
    app = Concierge(__name__, template_folder="../templates", static_folder="../static")
    app.config.update(vars(settings), CONCIERGE=settings)
    logs.configure_logging(settings.LOG_LEVEL)
    if settings.TRUSTED_PROXIES:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.TRUSTED_PROXIES,
                                x_proto=settings.TRUSTED_PROXIES)

    logs.init_app(app)  # first: its access line, written last, records the final status
    request_ids.init_app(app)  # before the limiter, so a 429 carries its requestId
    security_headers.init_app(app)
    json_answers.init_app(app)
    compression.init_app(app)
    metrics.init_app(app)
    limiter.init_app(app)
    i18n.init_app(app)
    console.init_app(app)
    store = db.Store(settings)
    db.init_app(app, store)
    events.init_app(app, store.database)
    outbox.init_app(app, still_wanted=_still_wanted, conversation_token=add_token,
                    before_emails=stock_alerts.dispatch)
    stock.listen(app, stock_alerts.restocked)
    _register_blueprints(app)
    errors.register_error_handlers(app)
    _register_commands(app)
    _prepare_database(app, settings)
    return app


def _still_wanted(email_context: dict) -> bool:
    """Ask each feature whose emails can be cancelled whether this one is still wanted."""
    return still_subscribed(email_context) and stock_alerts.still_wanted(email_context)


def _settings(config: Config | dict | None) -> Config:
    if isinstance(config, Config):
        return startup.checked(config)
    return startup.load(config)


def _register_blueprints(app: Flask) -> None:
    from .analytics.views import bp as analytics
    from .capsules.pages import bp as hold_pages
    from .capsules.views import bp as capsules
    from .conversations.pages import bp as conversation_pages
    from .conversations.views import bp as conversations
    from .core.views import bp as core
    from .feedback.views import bp as feedback
    from .inspiration.admin import bp as inspiration_admin
    from .inspiration.views import bp as inspiration
    from .integrations.pages import bp as integration_pages
    from .integrations.views import bp as integrations
    from .merchant.views import bp as merchant
    from .orders.views import bp as orders
    from .privacy.pages import bp as privacy_pages
    from .privacy.views import bp as privacy
    from .products.views import bp as products
    from .returns.views import bp as returns
    from .shortlists.views import bp as shortlists
    from .stock_alerts.pages import bp as stock_alert_pages
    from .stock_alerts.views import bp as stock_alerts_api
    from .stylists.pages import bp as ticket_pages
    from .stylists.views import bp as stylists
    from .subscriptions.pages import bp as subscription_pages
    from .subscriptions.views import bp as subscriptions
    from .widget.views import bp as widget

    for blueprint in (core, products, orders, returns, capsules, shortlists, stylists,
                      inspiration, inspiration_admin, subscriptions, feedback, analytics,
                      widget, hold_pages, ticket_pages, subscription_pages, merchant, privacy,
                      privacy_pages, conversations, conversation_pages, integrations,
                      integration_pages, stock_alerts_api, stock_alert_pages):
        app.register_blueprint(blueprint)


def _register_commands(app: Flask) -> None:
    from .cli import concierge_cli

    app.cli.add_command(concierge_cli)


def _prepare_database(app: Flask, settings: Config) -> None:
    """Create indexes; on an empty embedded store also seed, so a fresh start is usable."""
    from pymongo.errors import PyMongoError

    from .conversations.service import migrate_tickets
    from .merchant.imports import import_on_start
    from .orders.repository import backfill_keys
    from .outbox.migrate import migrate_agent_notifications
    from .outbox.repository import release_leases
    from .products.migrate import migrate_product_skus
    from .seeding import is_empty, prepare_store, seed

    if settings.data_dir is not None and click.get_current_context(silent=True) is not None:
        return  # a command opens the data folder itself when it needs it: a server may hold it
    if settings.data_dir is not None and not settings.CONCIERGE_MERCHANT_KEY:
        # Without a key of its own, a store's first start makes one, kept in its data
        # folder, so that `import --url` works at once (`make run` prints it).
        app.config["CONCIERGE_MERCHANT_KEY"] = durable.merchant_key(settings.data_dir)
    with app.app_context():
        try:
            database = db.get_db()
            store = db.get_store()
            if settings.seeds_demo and (store.fresh if settings.embedded else is_empty(database)):
                # Only into an empty store, before the indexes: the embedded store checks a
                # unique index by a scan per insert, but all at once when the index is created.
                seed(database)
            elif settings.embedded:
                prepare_store(database)  # the flag on, nothing else: the store's own data
            report = db.ensure_indexes(database, settings.RETENTION_DAYS)
            db.get_store().missing_indexes = report.failed
            for name, why in report.failed.items():
                log.error("index %s is missing: %s", name, why)
            migrate_agent_notifications(database)
            backfill_keys(database)
            migrate_product_skus(database)
            migrate_tickets()  # stylist tickets from before conversations get theirs
            if settings.embedded:
                # The process that claimed a delivery before a crash is gone: no lease to
                # wait out (on MongoDB another process may still hold it).
                release_leases(database, events.now())
                import_on_start(settings)
        except PyMongoError as error:
            # A `flask concierge …` command says so itself, in one line (cli.py).
            if click.get_current_context(silent=True) is None:
                # Start anyway: /health reports degraded and requests answer 503.
                log.warning("database not ready at start-up: %s", error)
