"""Back-in-stock alerts: created for a sold-out variant, emailed once when it returns.

A restock (announced by every stock write, products/stock.py) leaves a job per sku.
The outbox's email worker runs `dispatch` before each pass: it takes the job, checks
the variant's stock, marks the oldest waiting alerts sent and queues their emails in
one transaction, then waits until that batch is out before checking again.  Requests
never wait for any of it, and a restock sold out again leaves the rest waiting.
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from flask import current_app, g
from marshmallow import ValidationError
from pymongo.errors import DuplicateKeyError

from .. import outbox
from ..clock import now
from ..db import get_db, get_store
from ..errors import Conflict, NotFound
from ..i18n import current_locale, stored_locale
from ..ids import looks_like_public_id, new_public_id
from ..products.repository import find_by_sku
from ..products.service import ProductNotFound
from ..products.variants import available, explicit, matching, variants_of
from ..text import normal_email
from . import repository

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=120)
WAIT = timedelta(seconds=1)  # a batch still being sent: look again after this
JOBS_PER_PASS = 20


class InStock(Conflict):
    """The variant can be bought now: nothing to wait for."""

    code, title = "in_stock", "This variant is in stock"


class AlertNotFound(NotFound):
    """No alert has this id."""

    code, title = "alert_not_found", "Alert not found"


def _variant(product: dict, sku: str) -> dict:
    if not explicit(product):
        return variants_of(product)[0]
    found = matching(product, sku)
    if found is None:  # the product's own sku: its variants are what can sell out
        raise ValidationError({"sku": [
            "Names a product with variants: name the sold-out variant's sku."]})
    return found


def create(data: dict) -> tuple[dict, bool]:
    """Start waiting for a sold-out variant; return the alert and whether it is new."""
    sku, email = data["sku"], normal_email(data["email"])
    product = find_by_sku(sku)
    if product is None:
        raise ProductNotFound(f"No product has the sku {sku}.")
    if available(_variant(product, sku)):
        raise InStock(f"{sku} can be bought now.", sku=sku)
    found = repository.find_waiting(email, sku)
    if found is not None:
        return found, False
    at = now()
    doc = {"alertId": new_public_id(), "email": email, "sku": sku,
           "productSku": product["sku"], "status": "waiting", "waiting": sku,
           "waitingKey": repository.waiting_key(sku, email),
           "locale": data.get("locale") or current_locale(), "createdAt": at,
           "sentAt": None, "cancelledAt": None,
           "sessionId": g.get("session_id"), "requestId": g.get("request_id")}
    try:
        repository.insert(dict(doc))
    except DuplicateKeyError:  # the same email and sku at the same moment: one alert
        found = repository.find_waiting(email, sku)
        if found is None:
            raise
        return found, False
    outbox.enqueue(get_db(), "stock_alert.created",
                   {"alertId": doc["alertId"], "sku": sku, "productSku": product["sku"],
                    "locale": doc["locale"], "createdAt": at})
    return doc, True


def get(alert_id: str) -> dict:
    """Return an alert, or raise AlertNotFound."""
    found = repository.find(alert_id) if looks_like_public_id(alert_id) else None
    if found is None:
        raise AlertNotFound(f"No alert has the id {alert_id[:64]!r}.")
    return found


def unsubscribe(alert_id: str) -> dict:
    """Cancel an alert (the email's one-click link); cancelling again changes nothing."""
    get(alert_id)
    return repository.cancel(alert_id, now())


def still_wanted(email_context: dict) -> bool:
    """Tell whether an alert's email, if it is one, is still wanted (not unsubscribed)."""
    alert_id = email_context.get("alertId")
    if not alert_id:
        return True
    found = repository.find(alert_id)
    return bool(found) and found["status"] == "sent"


def restocked(skus: list[str]) -> None:
    """Listen to stock writes: each available sku with alerts waiting gets its job."""
    waiting = repository.waiting_skus(skus)
    if waiting:
        repository.restocked(waiting, now())
        outbox.wake()


def dispatch() -> int:
    """Queue the next batch of each due restock; return how many emails were queued."""
    queued, lease_id, seen = 0, secrets.token_hex(8), []
    for _ in range(JOBS_PER_PASS):
        at = now()
        job = repository.claim_job(at, at + LEASE, lease_id, seen)
        if job is None:
            break
        seen.append(job["_id"])
        try:
            queued += _next_batch(job, lease_id)
        except Exception:
            log.exception("stock alerts for %s: batch failed", job["_id"])
            repository.continue_job(job["_id"], lease_id, now() + WAIT)
    return queued


def _next_batch(job: dict, lease_id: str) -> int:
    at, sku = now(), job["_id"]
    last = job.get("lastEventId")
    if last and outbox.emails_waiting(get_db(), last):
        repository.continue_job(sku, lease_id, at + WAIT)
        return 0
    product = find_by_sku(sku)
    if product is None or not available(_stocked(product, sku)):
        repository.end_job(job, lease_id, at)  # gone again: the rest keep waiting
        return 0

    def send(transaction) -> tuple[str | None, int]:
        size = current_app.config["STOCK_ALERT_BATCH"]
        batch = repository.oldest_waiting(sku, size, transaction.session)
        if not batch:
            return None, 0
        ids = [alert["alertId"] for alert in batch]
        repository.mark_sent(ids, at, transaction.session)
        emails = [(alert["email"], _context(alert, product)) for alert in batch]
        message_id = outbox.enqueue(
            get_db(), "stock_alert.sent",
            {"sku": sku, "productSku": product["sku"], "alertIds": ids,
             "count": len(ids), "sentAt": at},
            emails=emails, session=transaction.session)
        return message_id, len(ids)

    message_id, count = get_store().run_transaction(send)
    if message_id is None:
        repository.end_job(job, lease_id, at)
    else:
        repository.continue_job(sku, lease_id, at, lastEventId=message_id)
    return count


def _stocked(product: dict, sku: str) -> dict:
    return matching(product, sku) or variants_of(product)[0]


def _context(alert: dict, product: dict) -> dict:
    variant = _stocked(product, alert["sku"])
    url = product.get("url") or f"/demo?product={product['sku']}"
    return {"alertId": alert["alertId"], "sku": alert["sku"], "productName": product["name"],
            "productUrl": url, "size": variant.get("size"), "color": variant.get("color"),
            "locale": stored_locale(alert)}
