"""Fixtures for the inspiration tests."""

import pytest

from .fakes import FakeClamd


@pytest.fixture
def clamd(request):
    """Start fake clamd servers; each is closed after the test."""
    started = []

    def start(reply, **kwargs):
        server = FakeClamd(reply, **kwargs)
        started.append(server)
        return server

    yield start
    for server in started:
        server.close()
