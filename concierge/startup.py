"""Read the settings once at start-up and refuse to start on one that cannot work.

Config checks what it owns; each feature checks its own settings here, above
both, so that config never imports a feature.
"""

from __future__ import annotations

from collections.abc import Mapping

from .config import Config
from .conversations.settings import check as check_conversations
from .outbox.settings import check as check_outbox
from .widget.branding import check as check_branding
from .widget.words import check as check_words

# Each raises ConfigError naming the first setting it refuses.
FEATURE_CHECKS = (
    check_outbox,  # webhook URL and secret, SMTP URL, sender
    check_branding,  # colour, launcher label, greeting, logo, position
    check_conversations,  # reply time and office hours
    check_words,  # store name, order number example (and per locale)
)


def checked(config: Config) -> Config:
    """Return the settings once every feature accepts its own; raise ConfigError if not."""
    for check in FEATURE_CHECKS:
        check(config)
    return config


def load(overrides: Mapping | None = None, environ: Mapping | None = None) -> Config:
    """Read the environment (or `environ`), apply overrides and check every setting."""
    return checked(Config.from_env(environ).with_overrides(dict(overrides or {})))
