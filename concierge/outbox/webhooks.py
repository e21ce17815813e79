"""POST an event to the store's webhook, signed as Standard Webhooks specifies."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime

import requests
from standardwebhooks.webhooks import Webhook

from ..schemas import iso_z
from .errors import DeliveryFailed

CONNECT_TIMEOUT = 3.05  # seconds; the answer's is CONCIERGE_WEBHOOK_TIMEOUT_SECONDS


def body(doc: dict) -> str:
    """Return the JSON body of an event: {"type", "timestamp", "data"}."""
    return json.dumps({"type": doc["type"], "timestamp": iso_z(doc["createdAt"]),
                       "data": doc["data"]}, separators=(",", ":"), ensure_ascii=False)


def signed_headers(secret: str, message_id: str, payload: str, at: datetime) -> dict:
    """Return the webhook-id, -timestamp and -signature headers for one attempt."""
    return {"webhook-id": message_id, "webhook-timestamp": str(math.floor(at.timestamp())),
            "webhook-signature": Webhook(secret).sign(message_id, at, payload)}


def deliver(config, doc: dict) -> None:
    """Send one webhook delivery; raise DeliveryFailed unless the receiver answers 2xx."""
    payload = body(doc)
    # Signed afresh on each attempt (receivers refuse old timestamps), same id every time.
    headers = signed_headers(config.CONCIERGE_WEBHOOK_SECRET, doc["eventId"], payload,
                             datetime.now(UTC))
    headers.update({"Content-Type": "application/json", "User-Agent": "aurora-concierge"})
    timeout = (CONNECT_TIMEOUT, config.CONCIERGE_WEBHOOK_TIMEOUT_SECONDS)
    try:
        response = requests.post(config.CONCIERGE_WEBHOOK_URL, data=payload.encode(),
                                 headers=headers, timeout=timeout, allow_redirects=False)
    except requests.RequestException as error:
        raise DeliveryFailed(f"{type(error).__name__}: {error}") from error
    if not 200 <= response.status_code < 300:
        raise DeliveryFailed(f"receiver answered HTTP {response.status_code}")
