"""Settings read once from the environment into one object."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace

RETENTION_DEFAULTS = {
    "capsuleHolds": 7,
    "widgetShortlists": 90,
    "widgetInspirationPending": 30,
    "widgetInspirationApproved": 365,
    "idempotencyKeys": 1,
    "analyticsEvents": 180,
    "csatResponses": 365,
    "stylistTickets": 365,
    "orderSubscriptions": 365,
    "returns": 730,
}


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _list(value: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in value.split(",") if item.strip())


@dataclass(frozen=True)
class Config:
    """Every setting the app reads; see the README for each variable."""

    MONGO_URI: str = ""
    MONGO_DB: str = "concierge"
    HOST: str = "127.0.0.1"
    PORT: int = 8000
    SEED_ON_START: bool = True
    RATELIMIT_ENABLED: bool = True
    RATELIMIT_STORAGE_URI: str = "memory://"
    RATELIMIT_HEADERS_ENABLED: bool = True
    ORDER_LOOKUP_LIMIT_PER_CLIENT: str = "60/minute"
    ORDER_LOOKUP_LIMIT_PER_ORDER: str = "10/15 minutes"
    WRITE_LIMIT_PER_CLIENT: str = "30/minute"
    UPLOAD_LIMIT_PER_CLIENT: str = "10/minute"
    EVENTS_LIMIT_PER_CLIENT: str = "120/minute"
    READ_LIMIT_PER_CLIENT: str = "300/minute"
    TRUSTED_PROXIES: int = 0
    CONCIERGE_ALLOWED_ORIGINS: tuple[str, ...] = ()
    CONCIERGE_ADMIN_TOKEN: str = ""
    CONCIERGE_CLAMD_URL: str = ""
    CONCIERGE_AGENT_WEBHOOK_URL: str = ""
    CONCIERGE_CONTACT_URL: str = "mailto:help@aurora.example"
    RETURN_WINDOW_DAYS: int = 30
    MAX_CONTENT_LENGTH: int = 5 * 1024 * 1024 + 64 * 1024
    MAX_IMAGE_BYTES: int = 5 * 1024 * 1024
    MAX_IMAGE_PIXELS: int = 40_000_000
    RETENTION_DAYS: dict = field(default_factory=lambda: dict(RETENTION_DEFAULTS))
    LOG_LEVEL: str = "INFO"
    TESTING: bool = False

    @property
    def embedded(self) -> bool:
        """Tell whether the in-process mongomock store is in use."""
        return not self.MONGO_URI

    @classmethod
    def from_env(cls, environ: dict | None = None) -> Config:
        """Build the settings from environment variables."""
        env = os.environ if environ is None else environ
        values: dict = {}
        for f in fields(cls):
            raw = env.get(f.name)
            if raw is None or f.name == "RETENTION_DAYS":
                continue
            if f.type == "bool":
                values[f.name] = _bool(raw)
            elif f.type == "int":
                values[f.name] = int(raw)
            elif f.type.startswith("tuple"):
                values[f.name] = _list(raw)
            else:
                values[f.name] = raw
        retention = dict(RETENTION_DEFAULTS)
        for name in retention:
            raw = env.get(f"RETENTION_DAYS_{name.upper()}")
            if raw is not None:
                retention[name] = int(raw)
        values["RETENTION_DAYS"] = retention
        return cls(**values)

    def with_overrides(self, overrides: dict) -> Config:
        """Return a copy with some settings replaced (used by tests)."""
        return replace(self, **overrides)
