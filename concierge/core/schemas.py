"""Health and config answers."""

from marshmallow import Schema, fields

from ..schemas import INTENTS


class HealthSchema(Schema):
    """Whether the app and its database answer."""

    status = fields.String(metadata={"example": "ok"})
    database = fields.String(metadata={"example": "ok"})
    version = fields.String()
    store = fields.String(metadata={"description": "embedded or mongodb"})
    mail = fields.String(metadata={
        "description": "configured or not_configured (CONCIERGE_SMTP_URL); emails wait "
                       "in the outbox until it is configured"})
    webhook = fields.String(metadata={
        "description": "configured or not_configured (CONCIERGE_WEBHOOK_URL)"})


class ConfigSchema(Schema):
    """What the widget needs to know for this session."""

    realEndpointsEnabled = fields.Boolean()
    intents = fields.List(fields.String(), metadata={"example": list(INTENTS)})
    locale = fields.String(metadata={"example": "en"})
    contactUrl = fields.String(metadata={"description": "Where the fallback sends shoppers."})
