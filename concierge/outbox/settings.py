"""Check the outbox settings at start-up, so a typo fails loudly instead of losing mail."""

from __future__ import annotations

import base64
import binascii
from email.utils import parseaddr
from urllib.parse import urlsplit

from ..config import ConfigError
from .mailer import loopback, parse_url

SECRET_PREFIX = "whsec_"  # noqa: S105 (the format's prefix, not a secret)
SECRET_BYTES = (24, 64)  # the Standard Webhooks range for signing keys
TIMEOUT_MAX_SECONDS = 60  # well inside a delivery's lease (worker.LEASE, 120 s)


def _check_secret(secret: str) -> None:
    if not secret.startswith(SECRET_PREFIX):
        raise ConfigError("CONCIERGE_WEBHOOK_SECRET must be 'whsec_' followed by base64 "
                         "(e.g. whsec_$(openssl rand -base64 32)).")
    try:
        key = base64.b64decode(secret[len(SECRET_PREFIX):], validate=True)
    except binascii.Error:
        raise ConfigError("CONCIERGE_WEBHOOK_SECRET: the part after 'whsec_' is not "
                         "valid base64.") from None
    low, high = SECRET_BYTES
    if not low <= len(key) <= high:
        raise ConfigError(f"CONCIERGE_WEBHOOK_SECRET must decode to {low}-{high} bytes "
                         f"(got {len(key)}).")


def _check_http_url(name: str, url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{name} must be an absolute http(s) URL (got {url!r}).")


def check(config) -> None:
    """Raise ConfigError naming the first outbox setting that cannot work."""
    url, secret = config.CONCIERGE_WEBHOOK_URL, config.CONCIERGE_WEBHOOK_SECRET
    if bool(url) != bool(secret):
        raise ConfigError("Set CONCIERGE_WEBHOOK_URL and CONCIERGE_WEBHOOK_SECRET together: "
                         "events are only POSTed signed.")
    if url:
        _check_http_url("CONCIERGE_WEBHOOK_URL", url)
        _check_secret(secret)
    timeout = config.CONCIERGE_WEBHOOK_TIMEOUT_SECONDS
    if not 0 < timeout <= TIMEOUT_MAX_SECONDS:
        raise ConfigError(f"CONCIERGE_WEBHOOK_TIMEOUT_SECONDS must be more than 0 and at most "
                         f"{TIMEOUT_MAX_SECONDS} seconds (got {timeout}).")
    if config.CONCIERGE_SMTP_URL:
        target = parse_url(config.CONCIERGE_SMTP_URL)
        # Real mail carries hold and one-click unsubscribe links: never over plain http.
        if not loopback(target.host) and not config.CONCIERGE_PUBLIC_URL.startswith("https://"):
            raise ConfigError("CONCIERGE_PUBLIC_URL must be an https:// URL when "
                             "CONCIERGE_SMTP_URL sends real mail (a server other than "
                             "localhost): the emails' hold and unsubscribe links are built "
                             f"on it (got {config.CONCIERGE_PUBLIC_URL or 'nothing'!r}).")
        if "@" not in parseaddr(config.CONCIERGE_MAIL_FROM)[1]:
            raise ConfigError("CONCIERGE_MAIL_FROM must be an address such as "
                             "'Aurora Concierge <concierge@shop.example>'.")
