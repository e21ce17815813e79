"""A restock of a variant 10,000 shoppers wait for: first email, total, requests meanwhile.

`python -m tests.bench.restock [--alerts N]` starts a real SMTP server (aiosmtpd) and the
app under gunicorn (embedded store on disk, the outbox worker in its process), creates N
waiting alerts through POST /stock-alerts, restocks the variant through the merchant API,
and measures: the restock call's own time (it must not wait for any email), when the first
email arrives, when the last does (the mail server's pace), that each address got exactly
one, and how fast reads answer while the emails go out.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

from concierge.verify.receivers import MailServer

from ..merchant.conftest import BOOTSTRAP
from ..merchant.variants import DRESS, dress_body
from ..support.live import gunicorn

AUTH = {"Authorization": f"Bearer {BOOTSTRAP}"}
FIRST_EMAIL_TARGET = 60.0  # seconds (API.md 24)


class TimedMailServer(MailServer):
    """The test SMTP server, noting when each message arrived."""

    def __init__(self):
        super().__init__()
        self.arrivals: list[float] = []
        self.recipients: list[str] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            self.arrivals.append(time.monotonic())
            self.recipients.extend(envelope.rcpt_tos)
        return "250 Message accepted for delivery"


def create_alerts(server, count: int) -> float:
    """Create `count` alerts for the sold-out black M through the API; return the seconds."""
    local = threading.local()

    def post(n: int) -> int:
        session = getattr(local, "session", None) or requests.Session()
        local.session = session
        answer = session.post(server.api("/stock-alerts"), timeout=30,
                              json={"email": f"shopper{n:05d}@example.com", "sku": "VAR-BLK-M"})
        return answer.status_code

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(post, range(count)))
    bad = [s for s in statuses if s != 201]
    if bad:
        raise SystemExit(f"{len(bad)} alerts not created (first status {bad[0]})")
    return time.monotonic() - started


def read_latencies(server, stop: threading.Event) -> list[float]:
    """GET a product page repeatedly until stopped; return each answer's seconds."""
    times, session = [], requests.Session()
    while not stop.is_set():
        started = time.monotonic()
        session.get(server.api(f"/products/{DRESS}"), timeout=30).raise_for_status()
        times.append(time.monotonic() - started)
        time.sleep(0.05)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alerts", type=int, default=10_000)
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--memory", action="store_true",
                        help="an embedded store that keeps nothing on disk (no fsync)")
    args = parser.parse_args(argv)
    mail = TimedMailServer().up()
    try:
        with tempfile.TemporaryDirectory() as tmp, gunicorn(
                Path(tmp), threads=8, CONCIERGE_MERCHANT_KEY=BOOTSTRAP,
                CONCIERGE_SMTP_URL=mail.url, CONCIERGE_PUBLIC_URL="https://shop.example",
                LOG_LEVEL="WARNING",
                **({"CONCIERGE_DATA_DIR": "memory"} if args.memory else {})) as server:
            put = requests.put(server.api(f"/merchant/products/{DRESS}"), json=dress_body(),
                               headers=AUTH, timeout=30)
            put.raise_for_status()
            creating = create_alerts(server, args.alerts)
            print(f"{args.alerts} alerts created through the API in {creating:.1f} s")
            stop = threading.Event()
            with ThreadPoolExecutor(max_workers=1) as pool:
                reads = pool.submit(read_latencies, server, stop)
                restocked = time.monotonic()
                answer = requests.put(server.api("/merchant/inventory/VAR-BLK-M"),
                                      json={"stock": 50}, headers=AUTH, timeout=30)
                call = time.monotonic() - restocked
                answer.raise_for_status()
                deadline = restocked + args.timeout
                while len(mail.arrivals) < args.alerts and time.monotonic() < deadline:
                    time.sleep(0.2)
                time.sleep(2)  # anything more would be a second email to someone
                stop.set()
                latencies = reads.result()
    finally:
        mail.down()
    sent = len(mail.arrivals)
    if not sent:
        print("no email arrived")
        return 1
    first, last = mail.arrivals[0] - restocked, mail.arrivals[-1] - restocked
    unique = len(set(mail.recipients))
    pace = sent / max(last - first, 1e-9)
    p50 = statistics.median(latencies) * 1000
    p95 = sorted(latencies)[int(len(latencies) * 0.95) - 1] * 1000 if latencies else 0
    print(f"restock call answered in {call * 1000:.0f} ms")
    print(f"first email {first:.2f} s after the restock (target <= {FIRST_EMAIL_TARGET:.0f} s)")
    print(f"{sent} emails to {unique} addresses; last after {last:.1f} s ({pace:.0f}/s)")
    print(f"product reads meanwhile: {len(latencies)} answered, p50 {p50:.0f} ms, "
          f"p95 {p95:.0f} ms")
    ok = first <= FIRST_EMAIL_TARGET and sent == unique == args.alerts
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
