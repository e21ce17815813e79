"""What a platform's webhook can be refused or left aside for."""

from __future__ import annotations

from ..errors import BadRequest, ConciergeError


class InvalidSignature(ConciergeError):
    """The signature header is missing or does not sign this body with the secret."""

    status, code, title = 401, "invalid_signature", "Invalid signature"


class MissingTopic(BadRequest):
    """A signed webhook without its topic header."""

    code, title = "missing_topic", "Missing topic"


class Unmappable(Exception):
    """A well-signed payload that cannot become a product or order: answered 200, counted.

    `reason` is one of service.REASONS (a metric label); `detail` goes to the log and the
    console, never to the answer.
    """

    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason, self.detail = reason, detail
