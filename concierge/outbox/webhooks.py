"""POST an event to the store's webhook, signed as Standard Webhooks specifies."""

from __future__ import annotations

import json
import math
import re
import time
from datetime import UTC, datetime
from http.client import HTTPConnection, HTTPException, HTTPSConnection
from urllib.parse import urlsplit

from standardwebhooks.webhooks import Webhook

from ..schemas import iso_z
from .errors import DeliveryFailed

CONNECT_TIMEOUT = 3.05  # seconds, within CONCIERGE_WEBHOOK_TIMEOUT_SECONDS for it all
MAX_ANSWER_BYTES = 4096  # only the status line is needed
STATUS_LINE = re.compile(rb"^HTTP/1\.[01] ([1-5][0-9]{2})[ \r]")


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
    status = post(config.CONCIERGE_WEBHOOK_URL, payload.encode(), headers,
                  config.CONCIERGE_WEBHOOK_TIMEOUT_SECONDS)
    if not 200 <= status < 300:
        raise DeliveryFailed(f"receiver answered HTTP {status}")


def post(url: str, data: bytes, headers: dict, seconds: float) -> int:
    """POST and return the answer's status code, all within `seconds`; read 4 KB at most.

    http.client writes the request; the answer's status line is read here,
    because neither it nor requests bounds a whole answer: their timeouts are
    per read, so a receiver sending a byte every few seconds, or an endless
    answer, would hold the delivery thread. Redirects are not followed.
    """
    deadline = time.monotonic() + seconds
    parts = urlsplit(url)
    kind = HTTPSConnection if parts.scheme == "https" else HTTPConnection
    connection = kind(parts.hostname, parts.port, timeout=min(CONNECT_TIMEOUT, seconds))
    try:
        try:
            connection.connect()
        except OSError as error:
            raise DeliveryFailed(f"ConnectionError: {url}: {error}") from error
        try:
            connection.sock.settimeout(_left(deadline, seconds))
            target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            connection.request("POST", target, data, headers)
            return _status(connection.sock, deadline, seconds)
        except (OSError, HTTPException) as error:
            raise DeliveryFailed(f"{type(error).__name__}: {error}") from error
    finally:
        connection.close()  # whatever else the receiver sends is never read


def _left(deadline: float, seconds: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise DeliveryFailed(f"Timeout: no answer within {seconds:g} s")
    return left


def _status(sock, deadline: float, seconds: float) -> int:
    """Read the answer's status line (HTTP/1.x NNN …) before the deadline."""
    received = b""
    while b"\r\n" not in received:
        if len(received) >= MAX_ANSWER_BYTES:
            raise DeliveryFailed(f"the answer's first {MAX_ANSWER_BYTES} bytes hold no status "
                                 "line")
        sock.settimeout(_left(deadline, seconds))
        try:
            chunk = sock.recv(MAX_ANSWER_BYTES - len(received))
        except TimeoutError:
            raise DeliveryFailed(f"Timeout: no answer within {seconds:g} s") from None
        if not chunk:
            raise DeliveryFailed("ConnectionError: the receiver closed the connection "
                                 "without an answer")
        received += chunk
    match = STATUS_LINE.match(received)
    if match is None:
        raise DeliveryFailed(f"not an HTTP answer: {received[:60]!r}")
    return int(match.group(1))
