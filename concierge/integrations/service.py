"""Receive a platform's webhook: verify, drop repeats, apply its topic all or nothing, log it."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import re
import time
from dataclasses import dataclass

from flask import current_app

from ..api import MAX_JSON_DEPTH, deeper_than
from ..clock import now
from ..db import get_store
from ..errors import ConciergeError, MalformedJSON, NotFound, UnsupportedMediaType
from ..merchant.service import writing_catalogue
from ..metrics import PLATFORM_WEBHOOKS
from . import repository
from .applying import Delivery
from .errors import InvalidSignature, MissingTopic, Unmappable
from .topics import TOPICS

log = logging.getLogger(__name__)

APPLIED, DUPLICATE, IGNORED, REFUSED = "applied", "duplicate", "ignored", "refused"
OUTCOMES = (APPLIED, DUPLICATE, IGNORED, REFUSED)
# The reasons counted in /metrics (a fixed set: no label value comes from a request).
REASONS = ("", "invalid_signature", "missing_topic", "malformed_json", "unsupported_media_type",
           "topic_not_used", "ping", "not_an_object", "missing_id", "missing_email",
           "not_active", "unknown_product", "stale", "unmappable_product", "unmappable_order",
           "unmappable_inventory", "unmappable_fulfilment", "product_not_found",
           "order_not_found", "error")
_SHOP_DOMAIN = re.compile(r"^[a-z0-9][a-z0-9.-]{0,250}$")
_WOO_PING = re.compile(rb"webhook_id=[0-9]{1,20}")
FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class Platform:
    """A platform's headers and the setting holding its secret."""

    name: str
    secret_setting: str
    signature: str
    delivery_id: str
    topic: str


SHOPIFY = Platform("shopify", "CONCIERGE_SHOPIFY_WEBHOOK_SECRET", "X-Shopify-Hmac-Sha256",
                   "X-Shopify-Webhook-Id", "X-Shopify-Topic")
WOOCOMMERCE = Platform("woocommerce", "CONCIERGE_WOOCOMMERCE_WEBHOOK_SECRET",
                       "X-WC-Webhook-Signature", "X-WC-Webhook-Delivery-ID",
                       "X-WC-Webhook-Topic")


def signature(secret: str, body: bytes) -> str:
    """Return base64(HMAC-SHA256(secret, body)): what both platforms send."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def receive(platform: Platform, body: bytes, headers, mimetype: str) -> dict:
    """Handle one webhook; return the answer's body, or raise the refusal's error."""
    secret = current_app.config[platform.secret_setting]
    if not secret:
        raise NotFound(f"The {platform.name} integration is not configured.")
    started, topic = time.perf_counter(), _header(headers, platform.topic)
    record = _Record(platform.name, topic, started)
    if (platform is WOOCOMMERCE and not headers.get(platform.signature) and mimetype == FORM
            and _WOO_PING.fullmatch(body)):
        return record.done(IGNORED, "ping", "WooCommerce's ping when the webhook was saved.")
    given = headers.get(platform.signature, "").encode("latin-1", "replace")
    if not hmac.compare_digest(signature(secret, body).encode(), given):
        record.done(REFUSED, "invalid_signature")
        raise InvalidSignature("The signature header does not sign this body with the "
                               "webhook secret.")
    try:
        payload = _parse(body, mimetype, topic)
    except ConciergeError as error:
        record.done(REFUSED, error.code)
        raise
    return _handle(platform, record, payload, _header(headers, platform.delivery_id),
                   _store_url(headers))


def _header(headers, name: str) -> str:
    return headers.get(name, "").strip()[:128]


def _store_url(headers) -> str | None:
    domain = headers.get("X-Shopify-Shop-Domain", "").strip().lower()
    return f"https://{domain}" if _SHOP_DOMAIN.match(domain) else None


def _parse(body: bytes, mimetype: str, topic: str) -> object:
    if not topic:
        raise MissingTopic("The topic header is missing.")
    if mimetype != "application/json":
        raise UnsupportedMediaType(f"Send the body as application/json (got "
                                   f"{mimetype or 'no type'}).")
    try:
        payload = json.loads(body)
    except RecursionError:
        payload = None
    except (ValueError, UnicodeDecodeError) as error:
        raise MalformedJSON(f"The body is not valid JSON: {error}.") from None
    if payload is None or deeper_than(payload, MAX_JSON_DEPTH):
        raise MalformedJSON(f"The body nests deeper than {MAX_JSON_DEPTH} levels.")
    return payload


def _handle(platform: Platform, record, payload, delivery_id: str, store_url) -> dict:
    name = platform.name
    if delivery_id and repository.seen(name, delivery_id):
        return record.done(DUPLICATE, delivery_id=delivery_id)
    handler = TOPICS[name].get(record.topic)
    if handler is None or not isinstance(payload, dict):
        reason = "topic_not_used" if handler is None else "not_an_object"
        _remember(name, delivery_id)
        return record.done(IGNORED, reason, delivery_id=delivery_id)
    delivery = Delivery(name, payload, current_app.config["CONCIERGE_CURRENCY"], store_url)

    def work(transaction) -> bool:
        # The id is recorded last, in the transaction: where the store has none (a
        # standalone MongoDB) a failure midway leaves it unrecorded, and the platform's
        # retry completes the topic's writes, each of which is idempotent.
        handler(delivery)
        return _remember(name, delivery_id, transaction.session)

    try:
        with writing_catalogue():
            first = get_store().run_transaction(work)
    except Unmappable as why:
        log.warning("%s webhook %s not applied: %s", name, record.topic, why.detail)
        _remember(name, delivery_id)
        return record.done(IGNORED, why.reason, why.detail, delivery_id)
    except ConciergeError as error:  # an unknown product or order: the platform retries
        record.done(REFUSED, error.code, error.detail, delivery_id)
        raise
    except Exception:
        record.done(REFUSED, "error", "an unexpected failure (see the log)", delivery_id)
        raise
    return record.done(APPLIED if first else DUPLICATE, delivery_id=delivery_id)


def _remember(platform: str, delivery_id: str, session=None) -> bool:
    return repository.remember(platform, delivery_id, now(), session) if delivery_id else True


class _Record:
    """Count, log and answer one delivery's outcome."""

    def __init__(self, platform: str, topic: str, started: float):
        self.platform, self.topic, self.started = platform, topic, started

    def done(self, outcome: str, reason: str = "", detail: str = "",
             delivery_id: str = "") -> dict:
        """Record the outcome; return the answer's body."""
        reason = reason if reason in REASONS else "error"
        PLATFORM_WEBHOOKS.labels(platform=self.platform, outcome=outcome, reason=reason).inc()
        repository.log_delivery({
            "platform": self.platform, "topic": self.topic or None, "outcome": outcome,
            "reason": reason or None, "detail": detail[:300] or None,
            "deliveryId": delivery_id or None, "receivedAt": now(),
            "milliseconds": round((time.perf_counter() - self.started) * 1000, 1)})
        return {"status": outcome} | ({"reason": reason} if reason else {})
