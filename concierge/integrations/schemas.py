"""The answer to a platform's webhook, and its request as the OpenAPI document shows it."""

from __future__ import annotations

from marshmallow import Schema, fields

OUTCOMES = ["applied", "duplicate", "ignored"]


class WebhookAnswerSchema(Schema):
    """What became of a well-signed webhook."""

    status = fields.String(required=True, metadata={
        "enum": OUTCOMES, "description": "applied: stored; duplicate: this delivery id was "
                                         "received in the last 48 hours, nothing changed; "
                                         "ignored: a topic not used, or a payload that cannot "
                                         "be mapped (counted in /metrics, see `reason`)."})
    reason = fields.String(metadata={"description": "Why it was ignored, as a code "
                                                    "(topic_not_used, ping, unmappable_product…)."})


def payload(platform: str, topics: list[str], signature: str, delivery_id: str,
            topic: str) -> dict:
    """Document a platform's signed JSON body and the headers that come with it."""
    note = (f"{platform}'s own webhook payload for the topic in `{topic}` (docs/integrations.md, "
            f"docs/samples/): read as sent, signed by `{signature}`. Topics used: "
            + ", ".join(topics) + "; any other is answered `ignored`.")
    return {"application/json": {"schema": {"type": "object", "description": note}}}


def headers(signature: str, delivery_id: str, topic: str, extra: dict | None = None) -> dict:
    """Document a platform's webhook headers."""
    found = {
        signature: {"required": False, "schema": {"type": "string"}, "description":
                    "base64(HMAC-SHA256(secret, raw body)); missing or wrong: 401 "
                    "invalid_signature, nothing changed."},
        delivery_id: {"required": False, "schema": {"type": "string"}, "description":
                      "The delivery's id: the same id within 48 hours answers `duplicate`."},
        topic: {"required": False, "schema": {"type": "string"}, "description":
                "The topic; missing (on a signed body): 400 missing_topic."},
    }
    return found | (extra or {})
