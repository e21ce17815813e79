"""The stripped app of the bench leaves out compression, limits, the access log and metrics."""

import logging

import pytest
from prometheus_client import REGISTRY

LOOKUP = {"orderNumber": "GG-11982", "email": "avery.stone@example.com"}
SERIES = ("concierge_http_requests_total",
          {"method": "POST", "endpoint": "/api/concierge/orders/lookup", "status": "200"})


class Lines(logging.Handler):
    """Keep the records that reach the access log's handlers."""

    def __init__(self):
        super().__init__()
        self.records = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture(scope="module")
def stripped():
    root = logging.getLogger("concierge")
    level, handlers = root.level, root.handlers[:]
    from tests.bench.stripped_app import app
    yield app
    root.setLevel(level)  # the app set the process's log level: later tests get theirs back
    root.handlers[:] = handlers


def _lookups(app, count):
    client = app.test_client()
    return [client.post("/api/concierge/orders/lookup", json=LOOKUP,
                        headers={"Accept-Encoding": "gzip, br"}) for _ in range(count)]


def test_stripped_app_answers_lookups_uncompressed_unlimited_unlogged_and_uncounted(stripped):
    lines = Lines()
    logging.getLogger("concierge.access").addHandler(lines)
    counted = REGISTRY.get_sample_value(*SERIES) or 0
    try:
        answers = _lookups(stripped, 70)  # beyond the 60 a minute one client gets
    finally:
        logging.getLogger("concierge.access").removeHandler(lines)
    assert {a.status_code for a in answers} == {200}
    assert all("Content-Encoding" not in a.headers for a in answers)
    assert "Accept-Encoding" not in answers[0].headers.get("Vary", "")  # flask-compress's hook
    assert len(answers[0].get_data()) > 500  # long enough for the real app to compress
    assert lines.records == []
    assert (REGISTRY.get_sample_value(*SERIES) or 0) == counted


def test_the_real_app_compresses_and_counts_the_same_lookup(app):
    counted = REGISTRY.get_sample_value(*SERIES) or 0
    answer, = _lookups(app, 1)
    assert answer.status_code == 200
    assert answer.headers["Content-Encoding"] == "br"
    assert REGISTRY.get_sample_value(*SERIES) == counted + 1
