"""Gunicorn settings shared by `make run`, the tests' servers and `make verify`.

Used as `gunicorn -c python:concierge.gunicorn_conf wsgi:app`.  Workers and
threads stay on the command line (they depend on the store); what is here is
the same everywhere.
"""

from __future__ import annotations

import os
from pathlib import Path

from concierge import startup
from concierge.config import ConfigError
from concierge.durable import MERCHANT_KEY_FILE, DataDirError, check_folder, merchant_key

# Requests over these limits are answered by gunicorn itself, before the app
# sees them, with its own small text/html page (docs/operations.md lists them):
# a request line (method, path and query) over 4094 bytes → 414, more than 100
# header fields or one over 8190 bytes → 431, a malformed request → 400.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
# gunicorn 27 binds one control socket per user (~/.gunicorn/gunicorn.ctl): several
# servers on one machine (tests, verify, fuzz, bench) would take it from each other.
control_socket_disable = True


def on_starting(server) -> None:
    """Refuse to start, with one clear line, when a setting or the data folder is unusable."""
    try:
        config = startup.load()
        if config.data_dir is not None:
            if server.cfg.workers > 1:
                raise ConfigError(
                    f"the embedded store in {config.data_dir} lives in one process: run one "
                    "worker with threads (WORKERS=1), or set MONGO_URI so that several "
                    "workers share MongoDB.")
            check_folder(config.data_dir)
            if not config.CONCIERGE_MERCHANT_KEY:
                key = merchant_key(config.data_dir)
                print(f"Merchant API key (every scope): {key}\n  kept in "
                      f"{config.data_dir / MERCHANT_KEY_FILE}; set CONCIERGE_MERCHANT_KEY to "
                      "use your own.", flush=True)
    except (ConfigError, DataDirError) as error:
        raise SystemExit(f"Aurora Concierge will not start: {error}") from None
    _fresh_metrics_directory()


def _fresh_metrics_directory() -> None:
    """Empty PROMETHEUS_MULTIPROC_DIR: counts left by a previous run would be added in."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        for stale in Path(directory).glob("*.db"):
            stale.unlink()


def child_exit(server, worker) -> None:
    """Let /metrics forget a dead worker's live gauges (its counters are kept)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


def post_worker_init(worker) -> None:
    """Build the search index and start the outbox delivery before the first request."""
    from concierge.products.service import warm

    warm(worker.wsgi)
    # Deliver what waits in the outbox now, not only once a request arrives.
    outbox = getattr(worker.wsgi, "extensions", {}).get("concierge_outbox")
    if outbox is not None:
        outbox.ensure_started()
