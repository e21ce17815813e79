"""Settings read once from the environment into one object."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from pathlib import Path

from .clock import utc_now

RETENTION_DEFAULTS = {
    "capsuleHolds": 7,
    "widgetShortlists": 90,
    "widgetInspirationPending": 30,
    "widgetInspirationApproved": 365,
    "idempotencyKeys": 1,
    "analyticsEvents": 180,
    "csatResponses": 365,
    "stylistTickets": 365,
    "conversations": 365,
    "orderSubscriptions": 365,
    "returns": 730,
    "stockAlerts": 180,
    "outbox": 30,
    "audit": 730,
    "platformDeliveries": 30,
}


MEMORY = "memory"  # CONCIERGE_DATA_DIR for a store that keeps nothing (tests)
DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "var"

ADMIN_TOKEN_MIN_LENGTH = 24
# MongoDB's expireAfterSeconds is a 32-bit count of seconds: at most 24,855 days.
RETENTION_MAX_DAYS = 2_147_483_647 // 86_400
# scheme://host[:port], nothing else: these go into a CSP header verbatim.
_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$")
# An origin and an optional path: pages and emails build links on it.
_PUBLIC_URL = re.compile(r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~%/-]*)?$")


class ConfigError(ValueError):
    """A setting that would make the service unsafe or broken; it refuses to start."""


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _number(name: str, raw: str, kind: type) -> int | float:
    try:
        return kind(raw)
    except ValueError:
        noun = "a whole number" if kind is int else "a number"
        raise ConfigError(f"{name} must be {noun} (got {raw!r}).") from None


def _list(value: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in value.split(",") if item.strip())


@dataclass(frozen=True)
class Config:
    """Every setting the app reads; see the README for each variable."""

    MONGO_URI: str = ""
    MONGO_DB: str = "concierge"
    # The embedded store's folder ("" = var/ in the project folder; "memory" = nothing kept).
    CONCIERGE_DATA_DIR: str = ""
    HOST: str = "127.0.0.1"
    PORT: int = 8000
    SEED_ON_START: bool = True  # false: as CONCIERGE_SEED=none
    # "demo": the demo catalogue, orders and capsules go into an empty store at its first
    # start; "none": never. "" = demo on the embedded default, none with MONGO_URI.
    CONCIERGE_SEED: str = ""
    RATELIMIT_ENABLED: bool = True
    RATELIMIT_STORAGE_URI: str = "memory://"
    # Shared storage (Redis) lost: each worker counts in its own memory until it answers
    # again, and a failed count never fails a request (docs/deploy.md, "Redis lost").
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED: bool = True
    RATELIMIT_SWALLOW_ERRORS: bool = True
    # No X-RateLimit-* on every answer: they would tell an order guesser exactly how many
    # tries are left, and cost a twentieth of a cached search; a 429 carries Retry-After.
    RATELIMIT_HEADERS_ENABLED: bool = False
    ORDER_LOOKUP_LIMIT_PER_CLIENT: str = "60/minute"
    ORDER_LOOKUP_LIMIT_PER_CLIENT_ORDER: str = "5/15 minutes"
    ORDER_LOOKUP_LIMIT_PER_ORDER: str = "25/15 minutes"
    ADMIN_AUTH_LIMIT_PER_CLIENT: str = "10/15 minutes"
    WRITE_LIMIT_PER_CLIENT: str = "30/minute"
    UNSUBSCRIBE_LIMIT_PER_CLIENT: str = "600/minute"  # a mailbox provider's one-click posts
    UPLOAD_LIMIT_PER_CLIENT: str = "10/minute"
    EVENTS_LIMIT_PER_CLIENT: str = "120/minute"
    READ_LIMIT_PER_CLIENT: str = "300/minute"
    UNMATCHED_LIMIT_PER_CLIENT: str = "60/minute"  # answers no route gives: 404 and 405
    MERCHANT_LIMIT_PER_CLIENT: str = "600/minute"
    MERCHANT_AUTH_LIMIT_PER_CLIENT: str = "10/15 minutes"
    TRUSTED_PROXIES: int = 0
    CONCIERGE_ALLOWED_ORIGINS: tuple[str, ...] = ()
    CONCIERGE_ADMIN_TOKEN: str = ""
    CONCIERGE_SECRET_KEY: str = ""  # signs console sessions; derived from the admin token if unset
    CONSOLE_SESSION_HOURS: int = 8
    CONCIERGE_METRICS_PUBLIC: bool = False
    CONCIERGE_CLAMD_URL: str = ""
    CONCIERGE_WEBHOOK_URL: str = ""
    CONCIERGE_WEBHOOK_SECRET: str = ""
    CONCIERGE_WEBHOOK_TIMEOUT_SECONDS: float = 10.0  # for the receiver's answer, once connected
    CONCIERGE_SMTP_URL: str = ""
    CONCIERGE_MAIL_FROM: str = "Aurora Concierge <concierge@localhost>"
    OUTBOX_WORKER: bool = True
    OUTBOX_POLL_SECONDS: int = 1
    OUTBOX_RETRY_BASE_SECONDS: int = 5
    OUTBOX_RETRY_CAP_SECONDS: int = 3600
    OUTBOX_GIVE_UP_HOURS: int = 72
    CSAT_NOTIFY_LIMIT_PER_CLIENT: int = 3
    HOLDS_PER_CLIENT: int = 5  # active capsule holds one client address may have at once
    HOLDS_PER_SESSION: int = 3  # and one widget session
    EMAILS_PER_ADDRESS_PER_HOUR: int = 5  # shopper-requested emails to one address
    CONCIERGE_MERCHANT_KEY: str = ""
    CONCIERGE_CATALOG_FILE: str = ""
    CONCIERGE_ORDERS_FILE: str = ""
    CONCIERGE_CURRENCY: str = "USD"
    # The secrets the store's platform signs its webhooks with (docs/integrations.md);
    # unset, that platform's webhook endpoint answers 404.
    CONCIERGE_SHOPIFY_WEBHOOK_SECRET: str = ""
    CONCIERGE_WOOCOMMERCE_WEBHOOK_SECRET: str = ""
    CONCIERGE_CONTACT_URL: str = "mailto:help@aurora.example"
    # What the widget promises about a person's answer (concierge/conversations/settings.py):
    # plain text, or `|`-separated entries with a locale prefix (fr=...). "" = our own words.
    CONCIERGE_REPLY_TIME: str = ""
    CONCIERGE_OFFICE_HOURS: str = ""  # "" = none stated
    CONCIERGE_BRAND_COLOR: str = "#3b1f6e"
    CONCIERGE_LAUNCHER_LABEL: str = "Ask Aurora"
    CONCIERGE_GREETING: str = ""  # empty: the widget's own "How can we help?"
    CONCIERGE_LOGO_URL: str = ""
    CONCIERGE_POSITION: str = "right"
    # The store's words in the widget (concierge/widget/words.py); _FR, _DE, _ES per locale.
    CONCIERGE_STORE_NAME: str = "Aurora Concierge"
    CONCIERGE_STORE_NAME_FR: str = ""
    CONCIERGE_STORE_NAME_DE: str = ""
    CONCIERGE_STORE_NAME_ES: str = ""
    CONCIERGE_ORDER_EXAMPLE: str = "GG-11982"
    CONCIERGE_ORDER_EXAMPLE_FR: str = ""
    CONCIERGE_ORDER_EXAMPLE_DE: str = ""
    CONCIERGE_ORDER_EXAMPLE_ES: str = ""
    CONCIERGE_PUBLIC_URL: str = ""
    RETURN_WINDOW_DAYS: int = 30
    # Store credit offered instead of a refund: this much more than the price (0-100 %).
    CONCIERGE_STORE_CREDIT_BONUS_PERCENT: int = 0
    # The next steps a return's confirmation gives (widget and email); "" = not stated.
    CONCIERGE_RETURN_ADDRESS: str = ""
    CONCIERGE_RETURN_INSTRUCTIONS: str = ""
    # Back-in-stock emails queued per batch; the stock is checked again before each one.
    STOCK_ALERT_BATCH: int = 50
    SEARCH_REFRESH_MS: int = 2000
    MAX_CONTENT_LENGTH: int = 5 * 1024 * 1024 + 64 * 1024
    MAX_IMAGE_BYTES: int = 5 * 1024 * 1024
    MAX_IMAGE_PIXELS: int = 40_000_000
    MAX_IMAGE_EDGE: int = 2048
    UPLOAD_DECODE_CONCURRENCY: int = 1
    UPLOAD_DECODE_WAIT_SECONDS: int = 10
    RETENTION_DAYS: dict = field(default_factory=lambda: dict(RETENTION_DEFAULTS))
    LOG_LEVEL: str = "INFO"
    TESTING: bool = False
    # What `clock.now()` answers inside the app; tests pass a clock they can set.
    CLOCK: Callable[[], datetime] = utc_now

    def __post_init__(self):
        # The features' own settings are checked by concierge/startup.py.
        for origin in self.CONCIERGE_ALLOWED_ORIGINS:
            if not _ORIGIN.match(origin):
                raise ConfigError(
                    f"CONCIERGE_ALLOWED_ORIGINS: {origin!r} is not an origin; list "
                    "scheme://host[:port] values (http or https), separated by commas.")
        if self.CONCIERGE_PUBLIC_URL and not _PUBLIC_URL.match(self.CONCIERGE_PUBLIC_URL):
            raise ConfigError(
                f"CONCIERGE_PUBLIC_URL: {self.CONCIERGE_PUBLIC_URL!r} is not a base URL; give "
                "http(s)://host[:port][/path] without query, fragment or credentials.")
        if self.CONCIERGE_ADMIN_TOKEN and len(self.CONCIERGE_ADMIN_TOKEN) < ADMIN_TOKEN_MIN_LENGTH:
            raise ConfigError(
                f"CONCIERGE_ADMIN_TOKEN is too short ({len(self.CONCIERGE_ADMIN_TOKEN)} "
                f"characters): use at least {ADMIN_TOKEN_MIN_LENGTH}, e.g. the output of "
                "`python -c 'import secrets; print(secrets.token_urlsafe(32))'`, or leave it "
                "unset to switch the admin endpoints off.")
        if self.CONCIERGE_SEED not in ("", "demo", "none"):
            raise ConfigError(f"CONCIERGE_SEED must be demo or none (got "
                              f"{self.CONCIERGE_SEED!r}).")
        for name, days in self.RETENTION_DAYS.items():
            # 0 would make MongoDB delete each document at its next TTL pass: never meant.
            if not isinstance(days, int) or not 1 <= days <= RETENTION_MAX_DAYS:
                raise ConfigError(
                    f"RETENTION_DAYS_{name.upper()} must be a whole number of days from 1 to "
                    f"{RETENTION_MAX_DAYS:,} (got {days!r}).")
        if not 0 <= self.CONCIERGE_STORE_CREDIT_BONUS_PERCENT <= 100:
            raise ConfigError(
                "CONCIERGE_STORE_CREDIT_BONUS_PERCENT must be a whole number from 0 to 100 "
                f"(got {self.CONCIERGE_STORE_CREDIT_BONUS_PERCENT!r}).")
        if not 1 <= self.STOCK_ALERT_BATCH <= 1000:
            raise ConfigError("STOCK_ALERT_BATCH must be a whole number from 1 to 1000 "
                              f"(got {self.STOCK_ALERT_BATCH!r}).")
        merchant_key = self.CONCIERGE_MERCHANT_KEY
        if merchant_key and len(merchant_key) < ADMIN_TOKEN_MIN_LENGTH:
            raise ConfigError(
                f"CONCIERGE_MERCHANT_KEY is too short ({len(merchant_key)} "
                f"characters): use at least {ADMIN_TOKEN_MIN_LENGTH} random characters, or "
                "leave it unset and create keys with `flask concierge api-keys create`.")

    @property
    def public_url(self) -> str:
        """Return the configured public base URL without a trailing slash ("" when unset)."""
        return self.CONCIERGE_PUBLIC_URL.rstrip("/")

    @property
    def seeds_demo(self) -> bool:
        """Tell whether an empty store gets the demo data at its first start."""
        if not self.SEED_ON_START or self.CONCIERGE_SEED == "none":
            return False
        return self.CONCIERGE_SEED == "demo" or self.embedded

    @property
    def data_folder(self) -> Path | None:
        """Return CONCIERGE_DATA_DIR as a folder (MONGO_URI or not), None for "memory"."""
        if self.CONCIERGE_DATA_DIR == MEMORY:
            return None
        return Path(self.CONCIERGE_DATA_DIR) if self.CONCIERGE_DATA_DIR else DEFAULT_DATA_DIR

    @property
    def data_dir(self) -> Path | None:
        """Return the embedded store's data folder, or None when nothing is kept on disk."""
        return self.data_folder if self.embedded else None

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
            if raw is None or f.name in ("RETENTION_DAYS", "CLOCK"):
                continue
            if f.type == "bool":
                values[f.name] = _bool(raw)
            elif f.type in ("int", "float"):
                values[f.name] = _number(f.name, raw, int if f.type == "int" else float)
            elif f.type.startswith("tuple"):
                values[f.name] = _list(raw)
            else:
                values[f.name] = raw
        retention = dict(RETENTION_DEFAULTS)
        for name in retention:
            variable = f"RETENTION_DAYS_{name.upper()}"
            if env.get(variable) is not None:
                retention[name] = _number(variable, env[variable], int)
        values["RETENTION_DAYS"] = retention
        return cls(**values)

    def with_overrides(self, overrides: dict) -> Config:
        """Return a copy with some settings replaced (used by tests)."""
        return replace(self, **overrides)
