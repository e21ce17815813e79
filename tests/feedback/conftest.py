"""Fixtures for the feedback tests."""

import pytest

from .receiver import Receiver


@pytest.fixture
def receiver():
    """Start webhook receivers; each is stopped after the test."""
    started = []

    def start(**kwargs):
        server = Receiver(**kwargs)
        started.append(server)
        return server

    yield start
    for server in started:
        server.close()
