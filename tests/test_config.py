"""Settings are read once from the environment and overridden by argument."""

import pytest

from concierge import create_app
from concierge.config import RETENTION_DEFAULTS, Config, ConfigError


def test_defaults_need_no_environment():
    config = Config.from_env({})
    assert config.PORT == 8000
    assert config.embedded
    assert config.RATELIMIT_ENABLED is True
    assert config.RETENTION_DAYS == RETENTION_DEFAULTS


@pytest.mark.parametrize(("name", "raw", "expected"), [
    ("PORT", "9001", 9001),
    ("RATELIMIT_ENABLED", "false", False),
    ("RATELIMIT_ENABLED", "1", True),
    ("CONCIERGE_ALLOWED_ORIGINS", "https://a.example, https://b.example",
     ("https://a.example", "https://b.example")),
    ("MONGO_DB", "shop", "shop"),
    ("RATELIMIT_STORAGE_URI", "redis://cache:6379", "redis://cache:6379"),
])
def test_environment_variable_is_read(name, raw, expected):
    assert getattr(Config.from_env({name: raw}), name) == expected


def test_mongo_uri_leaves_the_embedded_default():
    assert not Config.from_env({"MONGO_URI": "mongodb://db:27017"}).embedded


def test_retention_days_are_configurable_per_collection():
    config = Config.from_env({"RETENTION_DAYS_RETURNS": "1000"})
    assert config.RETENTION_DAYS["returns"] == 1000
    assert config.RETENTION_DAYS["capsuleHolds"] == RETENTION_DEFAULTS["capsuleHolds"]


def test_factory_takes_overrides_by_argument():
    app = create_app({"TESTING": True, "RETURN_WINDOW_DAYS": 14, "LOG_LEVEL": "WARNING"})
    assert app.config["RETURN_WINDOW_DAYS"] == 14
    assert app.config["CONCIERGE"].RETURN_WINDOW_DAYS == 14


def test_factory_accepts_a_config_object():
    app = create_app(Config(TESTING=True, PORT=1234, LOG_LEVEL="WARNING",
                            CONCIERGE_DATA_DIR="memory"))
    assert app.config["PORT"] == 1234


@pytest.mark.parametrize(("name", "raw"), [
    ("CONCIERGE_ALLOWED_ORIGINS", "https://shop.example; script-src *"),
    ("CONCIERGE_ALLOWED_ORIGINS", "https://shop.example/path"),
    ("CONCIERGE_ALLOWED_ORIGINS", "shop.example"),
    ("CONCIERGE_ALLOWED_ORIGINS", "javascript://x"),
    ("CONCIERGE_ALLOWED_ORIGINS", "https://a.example 'unsafe-inline'"),
    ("CONCIERGE_ALLOWED_ORIGINS", "*"),
    ("CONCIERGE_PUBLIC_URL", "concierge.example"),
    ("CONCIERGE_PUBLIC_URL", 'https://concierge.example/"><script>'),
    ("CONCIERGE_PUBLIC_URL", "https://concierge.example/?q=1"),
    ("CONCIERGE_PUBLIC_URL", "https://user:pw@concierge.example"),
    ("CONCIERGE_ADMIN_TOKEN", "x" * 23),
])
def test_unsafe_setting_refuses_to_start_and_names_the_variable(name, raw):
    with pytest.raises(ConfigError, match=name):
        Config.from_env({name: raw})


@pytest.mark.parametrize(("name", "raw", "noun"), [
    ("PORT", "eighty", "a whole number"),
    ("PORT", "", "a whole number"),
    ("OUTBOX_POLL_SECONDS", "1.5", "a whole number"),
    ("CONCIERGE_WEBHOOK_TIMEOUT_SECONDS", "abc", "a number"),
    ("RETENTION_DAYS_RETURNS", "two years", "a whole number"),
])
def test_a_setting_that_is_not_a_number_refuses_to_start_and_names_the_variable(name, raw,
                                                                               noun):
    with pytest.raises(ConfigError, match=f"^{name} must be {noun} \\(got {raw!r}\\)\\.$"):
        Config.from_env({name: raw})



@pytest.mark.parametrize(("name", "raw"), [
    ("CONCIERGE_ALLOWED_ORIGINS", "https://shop.example, http://localhost:8080"),
    ("CONCIERGE_PUBLIC_URL", "https://concierge.example"),
    ("CONCIERGE_PUBLIC_URL", "https://cdn.example:8443/concierge/"),
    ("CONCIERGE_ADMIN_TOKEN", "x" * 24),
])
def test_well_formed_setting_is_accepted(name, raw):
    assert getattr(Config.from_env({name: raw}), name)


def test_public_url_is_given_without_its_trailing_slash():
    assert Config(CONCIERGE_PUBLIC_URL="https://c.example/").public_url == "https://c.example"


def test_factory_refuses_an_unsafe_override():
    with pytest.raises(ConfigError, match="CONCIERGE_ADMIN_TOKEN"):
        create_app({"TESTING": True, "CONCIERGE_ADMIN_TOKEN": "secret"})
