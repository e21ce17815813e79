"""The one outbox: every event the store's systems or a shopper must hear of.

A message is written in the request that makes the event and delivered later
by background workers (webhook and, when it names a shopper, email).
"""

from __future__ import annotations

from .events import now as clock
from .ids import new_public_id

COLLECTION = "outbox"


def enqueue(db, event_type: str, data: dict, *, email_to: str | None = None,
            email_context: dict | None = None) -> str:
    """Queue one event; return its message id (the webhook-id on every retry).

    `data` is the webhook payload's data (never anything that lets a receiver
    act as the shopper); `email_to`/`email_context` address the shopper's email
    for types that send one, and never reach the webhook.
    """
    at = clock()
    message_id = f"msg_{new_public_id()}"
    doc = {"_id": message_id, "type": event_type, "data": data, "createdAt": at,
           "status": "pending", "attempts": 0, "nextAttemptAt": at}
    if email_to:
        doc["email"] = {"to": email_to, "context": email_context or {}}
    db[COLLECTION].insert_one(doc)
    return message_id
