"""Capsule tests place many holds from the one test client address."""

import pytest


@pytest.fixture
def config(config):
    """Lift the caps per client address and session; test_hold_caps.py tests them."""
    return {**config, "HOLDS_PER_CLIENT": 1000, "HOLDS_PER_SESSION": 1000}
