"""Health and config answers."""

from marshmallow import Schema, fields, validate

from ..i18n import LOCALES, TAG_MAX_LENGTH
from ..schemas import INTENTS, RequestSchema


class HealthSchema(Schema):
    """Whether the app and its database answer."""

    status = fields.String(metadata={"example": "ok"})
    database = fields.String(metadata={"example": "ok"})
    version = fields.String(metadata={"description": "With the admin token only (as the "
                                                     "three below)."})
    store = fields.String(metadata={"description": "embedded or mongodb"})
    missingIndexes = fields.List(fields.String(), metadata={
        "description": "declared indexes the database refused at start (then degraded): "
                       "`flask concierge init-db` says why"})
    durable = fields.Boolean(metadata={
        "description": "true when an acknowledged write is on disk (MongoDB, or the embedded "
                       "store with a data folder); false for CONCIERGE_DATA_DIR=memory"})
    mail = fields.String(metadata={
        "description": "configured or not_configured (CONCIERGE_SMTP_URL); emails wait "
                       "in the outbox until it is configured"})
    webhook = fields.String(metadata={
        "description": "configured or not_configured (CONCIERGE_WEBHOOK_URL)"})


class ConfigSchema(Schema):
    """What the widget needs to know for this session."""

    realEndpointsEnabled = fields.Boolean()
    intents = fields.List(fields.String(), metadata={"example": list(INTENTS)})
    locale = fields.String(metadata={
        "example": "fr", "enum": list(LOCALES),
        "description": "The widget's language: from ?locale=, then Accept-Language, else en."})
    locales = fields.List(fields.String(), metadata={
        "example": list(LOCALES), "description": "Every locale the widget speaks."})
    contactUrl = fields.String(metadata={"description": "Where the fallback sends shoppers."})
    replyTime = fields.String(metadata={
        "example": "within one working day",
        "description": "When the store's team answers a conversation (CONCIERGE_REPLY_TIME)."})
    officeHours = fields.String(allow_none=True, metadata={
        "example": "Mon-Fri 9:00-18:00 CET",
        "description": "The team's hours (CONCIERGE_OFFICE_HOURS); null when none are stated."})


class ConfigQuerySchema(RequestSchema):
    """What the widget may ask of /config."""

    locale = fields.String(validate=validate.Length(max=TAG_MAX_LENGTH), metadata={
        "example": "fr-CA", "description": "A language tag the page asks for (e.g. the "
        "loader's data-locale); an unsupported one falls back to Accept-Language, then en."})
