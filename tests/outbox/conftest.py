"""Fixtures for the outbox: a webhook receiver, an SMTP server, an app delivering to both."""

from __future__ import annotations

import base64

import pytest

from concierge import outbox
from concierge.subscriptions.service import order_update_audience

from ..support import subscribing
from .servers import WebhookReceiver

SECRET = "whsec_" + base64.b64encode(b"aurora-concierge-test-signing-key").decode()


@pytest.fixture
def hook():
    """A webhook receiver that answers 204."""
    receiver = WebhookReceiver()
    yield receiver
    receiver.down()


@pytest.fixture
def config(config, hook, mail):
    """Deliver to the local receiver and SMTP server, with this process's workers."""
    return {**config, "CONCIERGE_WEBHOOK_URL": hook.url, "CONCIERGE_WEBHOOK_SECRET": SECRET,
            "CONCIERGE_SMTP_URL": mail.url, "CONCIERGE_MAIL_FROM": "Aurora <shop@aurora.test>",
            "CONCIERGE_PUBLIC_URL": "https://concierge.aurora.test",
            "OUTBOX_WORKER": True, "OUTBOX_RETRY_BASE_SECONDS": 1}


@pytest.fixture
def app(app):
    """The app; its delivery threads are stopped after the test."""
    yield app
    workers = app.extensions.get("concierge_outbox")
    if workers is not None:
        workers.stop()


def enqueue_order_update(db, data: dict) -> str:
    """Queue an order update as the merchant's timeline does: to the order's subscribers."""
    order = db.orders.find_one({"orderNumber": data["orderNumber"]})
    data, emails = order_update_audience(order, data)
    return outbox.enqueue(db, "order.updated", data, emails=emails)


def subscribe_and_ship(app, client, db) -> str:
    """Subscribe an email to GG-11982, queue its shipped update; return the event id."""
    # The order's own address: active at once, no confirmation email.
    subscribing.subscribe(client, db, "avery.stone@example.com")
    with app.app_context():
        return enqueue_order_update(db, {
            "orderNumber": "GG-11982", "status": "shipped", "at": "2030-01-01T00:00:00Z",
            "description": "Left the warehouse"})
