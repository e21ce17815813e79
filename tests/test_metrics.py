"""GET /metrics: Prometheus text that prometheus_client's own parser reads back."""

from __future__ import annotations

import io
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import requests
from prometheus_client.openmetrics.parser import text_string_to_metric_families as openmetrics
from prometheus_client.parser import text_string_to_metric_families

from concierge import create_app
from concierge.clock import now

from .inspiration.fakes import picture
from .support.live import gunicorn

TOKEN = "metrics-admin-token-" + "m" * 24
AUTH = {"Authorization": f"Bearer {TOKEN}"}
FAMILIES = {"concierge_http_requests": "counter",
            "concierge_http_request_duration_seconds": "histogram",
            "concierge_journeys_completed": "counter",
            "concierge_rate_limit_refusals": "counter",
            "concierge_upload_scans": "counter",
            "concierge_outbox_messages": "gauge",
            "concierge_outbox_oldest_pending_age_seconds": "gauge"}


@pytest.fixture
def config(config):
    return {**config, "CONCIERGE_ADMIN_TOKEN": TOKEN}


def scrape(client) -> dict:
    """Return {(sample name, sorted labels): value} from a parsed scrape."""
    response = client.get("/metrics", headers=AUTH)
    assert response.status_code == 200
    assert response.content_type == "text/plain; version=0.0.4; charset=utf-8"
    families = list(text_string_to_metric_families(response.get_data(as_text=True)))
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in families for s in family.samples}


def value(samples: dict, name: str, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_every_family_is_declared_with_its_type(client):
    client.get("/api/concierge/health")
    text = client.get("/metrics", headers=AUTH).get_data(as_text=True)
    types = {f.name: f.type for f in text_string_to_metric_families(text)}
    assert {name: types.get(name) for name in FAMILIES} == FAMILIES


def test_requests_are_counted_and_timed_per_endpoint_and_status(client):
    before = scrape(client)
    for _ in range(3):
        client.get("/api/concierge/health")
    client.get("/api/concierge/products/AUR-NOPE-9999")
    after = scrape(client)
    health = {"method": "GET", "endpoint": "/api/concierge/health", "status": "200"}
    assert value(after, "concierge_http_requests_total", **health) - \
        value(before, "concierge_http_requests_total", **health) == 3
    assert value(after, "concierge_http_request_duration_seconds_count", **health) - \
        value(before, "concierge_http_request_duration_seconds_count", **health) == 3
    assert value(after, "concierge_http_request_duration_seconds_bucket", le="+Inf",
                 **health) >= 3
    product = {"method": "GET", "endpoint": "/api/concierge/products/<sku>", "status": "404"}
    assert value(after, "concierge_http_requests_total", **product) - \
        value(before, "concierge_http_requests_total", **product) == 1


def test_completed_journeys_and_scan_outcomes_are_counted(client, session_headers):
    before = scrape(client)
    client.post("/api/concierge/orders/lookup", headers=session_headers,
                json={"orderNumber": "GG-11982", "email": "avery.stone@example.com"})
    client.post("/api/concierge/inspiration", content_type="multipart/form-data",
                data={"image": (io.BytesIO(picture("PNG")), "a.png"), "consent": "true"})
    after = scrape(client)
    for name, labels in (("concierge_journeys_completed_total", {"journey": "order_tracked"}),
                         ("concierge_journeys_completed_total",
                          {"journey": "inspiration_uploaded"}),
                         ("concierge_upload_scans_total", {"outcome": "not_configured"})):
        assert value(after, name, **labels) - value(before, name, **labels) == 1, labels


def test_outbox_gauges_read_the_database(client, db):
    db.outbox.insert_many([
        {"_id": "m1", "status": "pending", "createdAt": now() - timedelta(seconds=120)},
        {"_id": "m2", "status": "pending", "createdAt": now()},
        {"_id": "m3", "status": "failed", "createdAt": now() - timedelta(days=3)}])
    samples = scrape(client)
    assert value(samples, "concierge_outbox_messages", status="pending") == 2
    assert value(samples, "concierge_outbox_messages", status="failed") == 1
    assert value(samples, "concierge_outbox_messages", status="delivered") == 0
    assert 120 <= value(samples, "concierge_outbox_oldest_pending_age_seconds") < 180


def test_openmetrics_is_answered_when_asked_for(client):
    response = client.get("/metrics", headers={
        **AUTH, "Accept": "application/openmetrics-text; version=1.0.0"})
    assert response.content_type.startswith("application/openmetrics-text; version=1.0.0")
    names = {f.name for f in openmetrics(response.get_data(as_text=True))}
    assert {"concierge_http_requests", "concierge_outbox_messages"} <= names


@pytest.mark.parametrize(("headers", "status"), [
    ({}, 401), ({"Authorization": "Bearer wrong"}, 401), (AUTH, 200)])
def test_metrics_need_the_admin_token(client, headers, status):
    assert client.get("/metrics", headers=headers).status_code == status


def test_metrics_can_be_public(config):
    client = create_app({**config, "CONCIERGE_METRICS_PUBLIC": True}).test_client()
    assert client.get("/metrics").status_code == 200


def test_metrics_are_off_without_token_unless_public(config):
    client = create_app({**config, "CONCIERGE_ADMIN_TOKEN": ""}).test_client()
    assert client.get("/metrics").status_code == 404


class TestRateLimitRefusals:
    @pytest.fixture
    def config(self, config):
        return {**config, "RATELIMIT_ENABLED": True, "READ_LIMIT_PER_CLIENT": "2/minute"}

    def test_each_429_is_counted_for_its_endpoint(self, client, session_headers):
        before = scrape(client)
        answers = [client.get("/api/concierge/products/AUR-TP-0001",
                              headers=session_headers).status_code for _ in range(4)]
        assert answers == [200, 200, 429, 429]
        after = scrape(client)
        labels = {"endpoint": "/api/concierge/products/<sku>"}
        assert value(after, "concierge_rate_limit_refusals_total", **labels) - \
            value(before, "concierge_rate_limit_refusals_total", **labels) == 2


def _counting_workers(metrics_dir) -> set[str]:
    return {p.name.split("_")[-1] for p in metrics_dir.glob("counter_*.db")}


def _until_both_workers_answer(server, metrics_dir) -> int:
    """Send health checks, 8 at a time, until both workers have counted some; return how many.

    The kernel hands connections to whichever worker accepts first, so one worker can
    take a short sequential burst alone: concurrent requests keep both busy.
    """
    sent, deadline = 0, time.monotonic() + 30
    with ThreadPoolExecutor(8) as pool:
        while sent < 30 or (len(_counting_workers(metrics_dir)) < 2
                            and time.monotonic() < deadline):
            list(pool.map(lambda _: requests.get(
                server.api("/health"), headers={"Connection": "close"}, timeout=5), range(8)))
            sent += 8
    return sent


@pytest.mark.slow  # starts gunicorn workers
@pytest.mark.live
def test_counts_add_up_across_gunicorn_workers(tmp_path):
    metrics_dir = tmp_path / "prometheus"  # gunicorn_conf makes it
    # Two workers, each on an in-memory store of its own (a data folder has one process).
    with gunicorn(tmp_path, workers=2, threads=2, PROMETHEUS_MULTIPROC_DIR=str(metrics_dir),
                  CONCIERGE_METRICS_PUBLIC="true", CONCIERGE_DATA_DIR="memory") as server:
        sent = _until_both_workers_answer(server, metrics_dir)
        time.sleep(0.2)
        scrapes = []
        for _ in range(4):
            text = requests.get(f"{server.url}/metrics", timeout=5).text
            samples = {(s.name, tuple(sorted(s.labels.items()))): s.value
                       for f in text_string_to_metric_families(text) for s in f.samples}
            scrapes.append(value(samples, "concierge_http_requests_total", method="GET",
                                 endpoint="/api/concierge/health", status="200"))
    assert len(_counting_workers(metrics_dir)) == 2  # both workers counted requests
    # The start-up health checks of tests/support/live.py count too: at least what was sent, and
    # the same total whichever worker answers the scrape.
    assert scrapes[0] >= sent >= 30
    assert len(set(scrapes)) == 1
    # Two workers, each on an in-memory store of its own (a data folder has one process).
    with gunicorn(tmp_path, workers=2, threads=2, PROMETHEUS_MULTIPROC_DIR=str(metrics_dir),
                  CONCIERGE_METRICS_PUBLIC="true", CONCIERGE_DATA_DIR="memory") as server:
        text = requests.get(f"{server.url}/metrics", timeout=5).text
    samples = {(s.name, tuple(sorted(s.labels.items()))): s.value
               for f in text_string_to_metric_families(text) for s in f.samples}
    restarted = value(samples, "concierge_http_requests_total", method="GET",
                      endpoint="/api/concierge/health", status="200")
    assert 1 <= restarted < 30  # the last run's counts were emptied at start


class TestBoundedSeries:
    """Made-up methods, paths and codes never add a series; no route answers without limit."""

    def series(self, client) -> set:
        return {labels for (name, labels) in scrape(client)
                if name == "concierge_http_requests_total"}

    def test_made_up_methods_and_paths_add_no_series(self, client):
        client.get("/api/concierge/nowhere")
        client.open("/api/concierge/health", method="BREW")
        client.open("/api/concierge/nowhere", method="X-1")
        self.series(client)  # the scrape's own series
        before = self.series(client)
        size = len(client.get("/metrics", headers=AUTH).data)
        for n in range(200):
            client.open("/api/concierge/health", method=f"BREW{n}")
            client.open(f"/api/concierge/nowhere-{n}", method=f"X-{n}")
            client.get(f"/no/such/page/{n}")
        after = self.series(client)
        assert after == before
        assert len(client.get("/metrics", headers=AUTH).data) < size * 1.2
        assert not any("BREW" in str(labels) for labels in after)
        methods = {dict(labels)["method"] for labels in after}
        assert methods <= {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "other"}

    def test_a_status_outside_http_is_counted_as_other(self, app):
        from concierge import metrics

        with app.test_request_context("/x", method="GET"):
            assert metrics._status(299) == "other"
            assert metrics._status(404) == "404"

    def test_answers_no_route_gives_are_rate_limited_per_client(self, config):
        client = create_app({**config, "RATELIMIT_ENABLED": True,
                             "UNMATCHED_LIMIT_PER_CLIENT": "5/minute"}).test_client()
        answers = [client.open("/api/concierge/health", method="BREW").status_code
                   for _ in range(3)]
        answers += [client.get(f"/api/concierge/nowhere-{n}").status_code for n in range(3)]
        assert answers == [405, 405, 405, 404, 404, 429]
        refused = client.get("/nowhere")
        assert refused.status_code == 429
        assert 0 < int(refused.headers["Retry-After"]) <= 60
        assert refused.get_json()["code"] == "rate_limited"
        assert client.get("/api/concierge/health").status_code == 200  # real routes unaffected
