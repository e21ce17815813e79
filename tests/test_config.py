"""Settings are read once from the environment and overridden by argument."""

import pytest

from concierge import create_app
from concierge.config import RETENTION_DEFAULTS, Config


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
    app = create_app(Config(TESTING=True, PORT=1234, LOG_LEVEL="WARNING"))
    assert app.config["PORT"] == 1234
