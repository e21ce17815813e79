"""Prometheus metrics: every metric the app keeps, its request hooks and GET /metrics.

With several gunicorn workers set PROMETHEUS_MULTIPROC_DIR (an empty directory,
before the server starts): each worker then writes its counts to files there and
a scrape answered by any worker adds them all up (prometheus_client's
multiprocess mode). The outbox gauges are read from the database at scrape time,
so they are right whichever worker answers.
"""

from __future__ import annotations

import functools
import logging
import math
import os
import time
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from urllib.parse import urlsplit

from flask import Blueprint, Flask, Response, current_app, g, request
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Gauge, Histogram, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import choose_encoder
from pymongo.errors import PyMongoError

from . import limits
from .admin_auth import require_admin
from .db import get_db
from .extensions import limiter
from .journeys import COMPLETED

log = logging.getLogger(__name__)

# Labels: method (METHODS or other), endpoint (the URL rule or unmatched), status (an
# HTTP status code or other).
REQUESTS = Counter("concierge_http_requests", "HTTP requests answered",
                   ("method", "endpoint", "status"))
LATENCY = Histogram("concierge_http_request_duration_seconds",
                    "Time from the request's arrival to its answer",
                    ("method", "endpoint", "status"),
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
JOURNEYS = Counter("concierge_journeys_completed", "Journeys a shopper completed",
                   ("journey",))
RATE_LIMITED = Counter("concierge_rate_limit_refusals", "Requests refused with 429",
                       ("endpoint",))
# The limiter's shared storage (Redis) lost: each worker then counts in its own memory
# (flask-limiter's in-memory fallback, docs/deploy.md) until the storage answers again.
RATE_LIMIT_FALLBACK = Gauge("concierge_rate_limit_storage_fallback",
                            "Workers counting rate limits in their own memory, the shared "
                            "storage being unreachable", ("storage",),
                            multiprocess_mode="livesum")
RATE_LIMIT_STORAGE_LOST = Counter("concierge_rate_limit_storage_lost",
                                  "Times a worker lost the shared rate-limit storage",
                                  ("storage",))
UPLOAD_SCANS = Counter("concierge_upload_scans", "Malware scans of uploads, by outcome",
                       ("outcome",))  # clean, infected, unavailable, not_configured
# Store-platform webhooks (concierge/integrations): outcome applied, duplicate, ignored
# or refused; reason one of a fixed set of codes (integrations/service.py REASONS).
PLATFORM_WEBHOOKS = Counter("concierge_platform_webhooks",
                            "Webhooks received from the store's platform, by outcome",
                            ("platform", "outcome", "reason"))
OUTBOX_STATUSES = ("pending", "sending", "delivered", "failed", "skipped")

bp = Blueprint("metrics", __name__)


def journey_recorded(event_name: str) -> None:
    """Count a completed journey when a server-side event marks one."""
    if event_name in COMPLETED:
        JOURNEYS.labels(journey=event_name.removeprefix("aurora_")).inc()


# Label values come from these fixed sets, so made-up methods or codes add no series.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
STATUSES = frozenset(str(status.value) for status in HTTPStatus)
OTHER = "other"


def _method() -> str:
    return request.method if request.method in METHODS else OTHER


def _status(code: int) -> str:
    text = str(code)
    return text if text in STATUSES else OTHER


def _endpoint() -> str:
    # The URL rule, not the path: one series per route, whatever ids it carries.
    return request.url_rule.rule if request.url_rule else "unmatched"


def _start() -> None:
    g.metrics_started = time.perf_counter()


# Each route's series, looked up once: labels() locks and checks its arguments every call.
_series: dict[tuple[str, str, str], tuple] = {}
os.register_at_fork(after_in_child=_series.clear)  # a forked worker writes its own values


def _observe(response):
    labels = (_method(), _endpoint(), _status(response.status_code))
    series = _series.get(labels)
    if series is None:
        series = _series[labels] = (REQUESTS.labels(*labels), LATENCY.labels(*labels))
    series[0].inc()
    started = g.get("metrics_started")
    if started is not None:
        series[1].observe(time.perf_counter() - started)
    if response.status_code == 429:
        RATE_LIMITED.labels(endpoint=labels[1]).inc()
    _watch_limit_storage()
    return response


class _LimitStorageWatch:
    """Notice when this worker's limiter falls back to its own memory, and when it is back."""

    on_fallback = False

    def __call__(self) -> None:
        if not limiter.enabled:
            return  # RATELIMIT_ENABLED=false: no storage at all
        # flask-limiter's public `limiter` is its fallback's while the storage is dead.
        fallback = limiter.limiter.storage is not limiter.storage
        if fallback == self.on_fallback:
            return
        self.on_fallback = fallback
        where = _without_credentials(current_app.config["RATELIMIT_STORAGE_URI"])
        RATE_LIMIT_FALLBACK.labels(storage=where).set(int(fallback))
        if fallback:
            RATE_LIMIT_STORAGE_LOST.labels(storage=where).inc()
            log.error("rate-limit storage %s unreachable: this worker counts limits in its "
                      "own memory until it answers again", where)
        else:
            log.warning("rate-limit storage %s reachable again: limits are shared again", where)


def _without_credentials(uri: str) -> str:
    parts = urlsplit(uri)
    return f"{parts.scheme}://{parts.hostname or ''}{f':{parts.port}' if parts.port else ''}"


_watch_limit_storage = _LimitStorageWatch()


class OutboxCollector:
    """Read the outbox's size and oldest undelivered message at scrape time."""

    def __init__(self, db):
        self.db = db

    def collect(self):
        """Yield the outbox gauges; nothing when the database cannot be read."""
        try:
            counts = {s: self.db.outbox.count_documents({"status": s})
                      for s in OUTBOX_STATUSES}
            oldest = self.db.outbox.find_one({"status": {"$in": ["pending", "sending"]}},
                                             {"createdAt": 1}, sort=[("createdAt", 1)])
        except PyMongoError as error:
            log.warning("metrics: outbox not readable: %s", error)
            return
        messages = GaugeMetricFamily("concierge_outbox_messages",
                                     "Outbox messages by delivery status", labels=["status"])
        for status, count in counts.items():
            messages.add_metric([status], count)
        yield messages
        age = (datetime.now(UTC) - oldest["createdAt"]) if oldest else timedelta(0)
        yield GaugeMetricFamily("concierge_outbox_oldest_pending_age_seconds",
                                "Age of the oldest message not yet delivered (0 when none)",
                                value=max(age.total_seconds(), 0.0))


CONVERSATION_STATUSES = ("open", "waiting", "closed")
FIRST_REPLY_WINDOW = timedelta(days=7)


class ConversationsCollector:
    """Read conversations by status and the time to the store's first reply, at scrape time."""

    def __init__(self, db):
        self.db = db

    def collect(self):
        """Yield the conversation gauges; nothing when the database cannot be read."""
        since = datetime.now(UTC) - FIRST_REPLY_WINDOW
        try:
            counts = {s: self.db.conversations.count_documents({"status": s})
                      for s in CONVERSATION_STATUSES}
            answered = list(self.db.conversations.find(
                {"firstReplyAt": {"$gte": since}}, {"_id": 0, "createdAt": 1, "firstReplyAt": 1}))
        except PyMongoError as error:
            log.warning("metrics: conversations not readable: %s", error)
            return
        family = GaugeMetricFamily("concierge_conversations",
                                   "Conversations by status (open: waiting for the store)",
                                   labels=["status"])
        for status, count in counts.items():
            family.add_metric([status], count)
        yield family
        waits = sorted(max((_utc(d["firstReplyAt"]) - _utc(d["createdAt"])).total_seconds(), 0.0)
                       for d in answered)
        first = GaugeMetricFamily(
            "concierge_conversation_first_reply_seconds",
            "Time from a conversation's start to the store's first reply, over the conversations "
            "first answered in the last 7 days (0 when none)", labels=["quantile"])
        for name, q in (("0.5", 0.5), ("0.9", 0.9)):  # nearest rank
            first.add_metric([name], waits[max(math.ceil(q * len(waits)) - 1, 0)]
                             if waits else 0.0)
        yield first
        yield GaugeMetricFamily("concierge_conversations_first_replied_7d",
                                "Conversations first answered in the last 7 days",
                                value=len(waits))


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class _Sources:
    """Collect from several collectors as one registry, for one scrape."""

    def __init__(self, *sources):
        self.sources = sources

    def collect(self):
        """Yield every source's metric families."""
        for source in self.sources:
            yield from source.collect()


def _counted() -> CollectorRegistry:
    """Return the registry holding the counts: this process's, or every worker's."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return REGISTRY
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    return registry


def _scraper_only(view):
    """Check the admin token unless metrics are public; wrong ones count in admin_failures."""
    @functools.wraps(view)
    def checked():
        if not current_app.config["CONCIERGE_METRICS_PUBLIC"]:
            require_admin()
        return view()
    return limits.admin_failures_unlisted(checked)


@bp.get("/metrics")
@_scraper_only
def scrape():
    """Answer in the Prometheus text format the scraper asks for."""
    encode, content_type = choose_encoder(request.headers.get("Accept", ""))
    body = encode(_Sources(_counted(), OutboxCollector(get_db()),
                           ConversationsCollector(get_db())))
    return Response(body, content_type=content_type, headers={"Cache-Control": "no-store"})


def init_app(app: Flask) -> None:
    """Time and count every request; serve /metrics."""
    # First in line, so a request an earlier hook refuses is still timed.
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request(_observe)
    app.register_blueprint(bp)
