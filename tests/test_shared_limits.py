"""Rate limits shared by 4 gunicorn workers through a real Redis, and what losing Redis does.

Each worker runs on an in-memory store of its own, seeded alike (a data folder has one
process). The workers are sync (one thread each): a worker accepts a connection only
when idle, so requests sent 4 at a time are spread over the workers. Which worker
answered what is read from the Prometheus files each worker writes under its own pid.
"""

from __future__ import annotations

import contextlib
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from prometheus_client import CollectorRegistry, multiprocess
from prometheus_client.parser import text_string_to_metric_families

from .support.live import LiveServer, gunicorn
from .support.redis_server import RedisServer

pytestmark = pytest.mark.live

LOOKUP = "/orders/lookup"
ORDER = {"orderNumber": "GG-11982", "email": "avery.stone@example.com"}
LIMIT = 60  # ORDER_LOOKUP_LIMIT_PER_CLIENT, 60/minute
LOOKUP_SERIES = ("POST", "/api/concierge/orders/lookup")
# As docs/deploy.md says to set them: a Redis that stops answering must not hold requests.
TIMEOUTS = "?socket_timeout=0.5&socket_connect_timeout=0.5"


@contextlib.contextmanager
def workers(tmp: Path, storage_uri: str, count: int = 4):
    """Serve the app with `count` sync workers, rate limits on, counted in `storage_uri`."""
    metrics = tmp / "prometheus"
    with gunicorn(tmp, workers=count, threads=1, RATELIMIT_ENABLED="true",
                  RATELIMIT_STORAGE_URI=storage_uri, CONCIERGE_DATA_DIR="memory",
                  PROMETHEUS_MULTIPROC_DIR=str(metrics), CONCIERGE_METRICS_PUBLIC="true",
                  ) as server:
        server.metrics = metrics
        yield server


def lookups(server: LiveServer, count: int, at_once: int = 4) -> list[int]:
    """Look the same order up `count` times, `at_once` at a time; return the statuses."""
    def one(_):
        return requests.post(server.api(LOOKUP), json=ORDER, timeout=30,
                             headers={"Connection": "close"}).status_code

    with ThreadPoolExecutor(at_once) as pool:
        return list(pool.map(one, range(count)))


def lookups_by_worker(server: LiveServer) -> dict[int, dict[str, float]]:
    """Return {worker pid: {status: order lookups it answered}} from each worker's own file."""
    answered: dict[int, dict[str, float]] = {}
    for path in server.metrics.glob("counter_*.db"):
        pid = int(path.stem.rsplit("_", 1)[-1])
        alone = server.metrics.parent / f"one-worker-{pid}"
        shutil.rmtree(alone, ignore_errors=True)
        alone.mkdir()
        shutil.copy(path, alone)
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=str(alone))
        for family in registry.collect():
            for sample in family.samples:
                labels = sample.labels
                if (sample.name == "concierge_http_requests_total"
                        and (labels["method"], labels["endpoint"]) == LOOKUP_SERIES):
                    answered.setdefault(pid, {})[labels["status"]] = sample.value
    return answered


def since(after: dict, before: dict, status: str) -> dict[int, float]:
    """Return, per worker, how many lookups with `status` it answered between two readings."""
    counts = {pid: answers.get(status, 0) - before.get(pid, {}).get(status, 0)
              for pid, answers in after.items()}
    return {pid: n for pid, n in counts.items() if n}


def parent_of(pid: int) -> int:
    """Return a process's parent pid, read from /proc."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat.rsplit(")", 1)[1].split()[1])


def scraped(server: LiveServer, name: str) -> float:
    """Return a metric's value summed over its series, as /metrics adds every worker's up."""
    text = requests.get(f"{server.url}/metrics", timeout=10).text
    return sum(sample.value for family in text_string_to_metric_families(text)
               for sample in family.samples if sample.name == name)


def lookup_count_in(redis: RedisServer) -> int:
    """Return the client's order-lookup count as Redis holds it."""
    client = redis.client()
    keys = [key for key in client.keys("LIMITS:*") if b"/order-client/" in key]
    assert len(keys) == 1, keys
    return int(client.get(keys[0]))


def until_every_worker_shares_again(server: LiveServer, deadline_seconds: float = 90) -> None:
    """Send limited reads until no worker counts in its own memory (each checks Redis only
    when a request asks, backing off up to 32 s between checks while it was down)."""
    deadline = time.monotonic() + deadline_seconds
    with ThreadPoolExecutor(4) as pool:
        while scraped(server, "concierge_rate_limit_storage_fallback") > 0:
            assert time.monotonic() < deadline, "a worker never went back to Redis"
            list(pool.map(lambda _: requests.get(server.api("/capsules"), timeout=30,
                                                 headers={"Connection": "close"}), range(4)))
            time.sleep(0.5)


@pytest.fixture
def redis_server(tmp_path):
    with RedisServer(tmp_path / "redis") as server:
        yield server


def test_a_clients_61st_lookup_in_a_minute_is_refused_whichever_worker_answers(
        tmp_path, redis_server):
    with workers(tmp_path, redis_server.url + TIMEOUTS) as server:
        first = lookups(server, LIMIT)
        sixty_first = requests.post(server.api(LOOKUP), json=ORDER, timeout=30)
        later = lookups(server, 20)
        answered = lookups_by_worker(server)
        masters = {parent_of(pid) for pid in answered}
    assert first == [200] * LIMIT
    assert sixty_first.status_code == 429
    assert sixty_first.json()["code"] == "rate_limited"
    assert int(sixty_first.headers["Retry-After"]) >= 1
    assert set(later) == {429}
    assert masters == {server.process.pid}  # every answer came from one of its workers
    passed, refused = since(answered, {}, "200"), since(answered, {}, "429")
    assert sum(passed.values()) == LIMIT
    assert sum(refused.values()) == 21
    # No worker saw 60 lookups, so none could have refused the 61st on its own count;
    # the refusals too came from several workers.
    assert len(passed) >= 2, passed
    assert max(passed.values()) < LIMIT, passed
    assert len(refused) >= 2, refused
    assert lookup_count_in(redis_server) == LIMIT + 21


def test_per_process_counts_let_a_client_past_the_limit_with_several_workers(tmp_path):
    # What the test above would see without a shared storage (docs/deploy.md).
    with workers(tmp_path, "memory://", count=2) as server:
        statuses, deadline = [], time.monotonic() + 60
        # The kernel, not the test, picks the worker for each connection: send until both
        # have answered (one may take every request for a while).
        while (len(since(lookups_by_worker(server), {}, "200")) < 2
               or statuses.count(200) <= LIMIT):
            assert time.monotonic() < deadline, "the two workers never both answered"
            statuses += lookups(server, 8)
        passed = since(lookups_by_worker(server), {}, "200")
    assert len(passed) == 2, passed
    assert statuses.count(200) > LIMIT  # one client, past its limit of 60 a minute


def test_losing_redis_keeps_lookups_answered_and_limited_per_worker_until_it_is_back(
        tmp_path, redis_server):
    with workers(tmp_path, redis_server.url + TIMEOUTS) as server:
        assert lookups(server, 20) == [200] * 20
        # Redis stops answering while lookups are on their way, then is gone altogether:
        # none fails, none waits for it (a wait would outlast the client's 30 s timeout).
        with ThreadPoolExecutor(4) as pool:
            during = [pool.submit(lookups, server, 10, 1) for _ in range(4)]
            time.sleep(0.3)
            redis_server.freeze()
            statuses = [status for future in during for status in future.result()]
        redis_server.kill()
        statuses += lookups(server, 8)
        assert set(statuses) <= {200, 429}, statuses
        # Fail open, not unlimited: each worker counts 60 a minute in its own memory,
        # so 241 lookups cannot all pass, and no more than 4 x 60 do.
        degraded = lookups(server, 4 * LIMIT + 1)
        assert set(degraded) == {200, 429}
        assert degraded.count(200) <= 4 * LIMIT
        assert scraped(server, "concierge_rate_limit_storage_fallback") >= 1
        assert scraped(server, "concierge_rate_limit_storage_lost_total") >= 1
        unreachable = f"rate-limit storage redis://127.0.0.1:{redis_server.port} unreachable"
        assert unreachable in server.log.read_text()

        redis_server.start()  # empty: its counts were in memory only
        until_every_worker_shares_again(server)
        assert "reachable again: limits are shared again" in server.log.read_text()
        before = lookups_by_worker(server)
        again = lookups(server, LIMIT + 1)
        passed = since(lookups_by_worker(server), before, "200")
    assert (again.count(200), again.count(429)) == (LIMIT, 1)
    assert len(passed) >= 2, passed
    assert max(passed.values()) < LIMIT, passed
    assert lookup_count_in(redis_server) == LIMIT + 1
