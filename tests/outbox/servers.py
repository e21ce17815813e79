"""Real local receivers for the outbox tests, and a bounded wait."""

from __future__ import annotations

import time

from concierge.verify.receivers import MailServer, WebhookReceiver

__all__ = ["MailServer", "WebhookReceiver", "wait_for"]


def wait_for(predicate, timeout: float = 10.0):
    """Wait until predicate() is true (the contract's 10 s bound); fail otherwise."""
    deadline = time.monotonic() + timeout
    while not (value := predicate()):
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)
    return value
