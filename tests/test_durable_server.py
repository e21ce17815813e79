"""Under gunicorn: acknowledged writes survive kill -9, and one server holds a data folder."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from concierge import durable

from .outbox.servers import MailServer, wait_for
from .support.live import ROOT, free_port, gunicorn

KEY = "durable-test-merchant-key-0123456789"
MERCHANT = {"Authorization": f"Bearer {KEY}"}
SKUS = ["AUR-TP-0001", "AUR-DR-0003"]
WRITERS = 16
ACKNOWLEDGED = 300  # writes answered before the kill (whatever the machine's speed)


def product(n: int) -> dict:
    return {"name": f"Crash Test Dress {n}", "description": "Written while the server died.",
            "category": "Dresses", "price": {"amount": 9900 + n, "currency": "USD"},
            "colors": ["Black"], "sizes": ["S", "M"], "stock": 3}


class Writers:
    """Threads writing shortlists and merchant products, keeping what was acknowledged."""

    def __init__(self, server):
        self.server, self.stop = server, threading.Event()
        self.shortlists: list[str] = []
        self.products: list[str] = []
        self.threads = [threading.Thread(target=self.write, args=(n,)) for n in range(WRITERS)]

    def write(self, writer: int) -> None:
        session, n = requests.Session(), 0
        while not self.stop.is_set():
            n += 1
            try:
                if n % 2:
                    answer = session.post(self.server.api("/shortlists"),
                                          json={"skus": SKUS}, timeout=5)
                    if answer.status_code == 201:
                        self.shortlists.append(answer.json()["shortlistId"])
                else:
                    sku = f"CRASH-{writer}-{n}"
                    answer = session.put(self.server.api(f"/merchant/products/{sku}"),
                                         json=product(n), headers=MERCHANT, timeout=5)
                    if answer.status_code == 201:
                        self.products.append(sku)
            except requests.RequestException:
                return  # the server is gone: nothing after this was acknowledged

    def acknowledged(self) -> int:
        """Count the writes answered 201 so far."""
        return len(self.shortlists) + len(self.products)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_):
        self.stop.set()
        for thread in self.threads:
            thread.join(10)


@pytest.mark.live
def test_every_acknowledged_write_survives_kill_9_during_concurrent_writes(tmp_path):
    data = tmp_path / "data"
    settings = {"CONCIERGE_DATA_DIR": str(data), "CONCIERGE_MERCHANT_KEY": KEY}
    with gunicorn(tmp_path, **settings) as server, Writers(server) as writers:
        deadline = time.monotonic() + 60
        while writers.acknowledged() < ACKNOWLEDGED and time.monotonic() < deadline:
            time.sleep(0.05)
        server.kill()  # master and worker, mid-burst: sixteen writers still writing
    assert writers.acknowledged() >= ACKNOWLEDGED
    assert writers.shortlists
    assert writers.products
    with gunicorn(tmp_path, **settings) as server:
        session = requests.Session()
        lost = [shortlist for shortlist in writers.shortlists
                if session.get(server.api(f"/shortlists/{shortlist}"), timeout=5).status_code
                != 200]
        lost += [sku for sku in writers.products
                 if session.get(server.api(f"/products/{sku}"), timeout=5).status_code != 200]
    print(f"\n{len(writers.shortlists)} shortlists and {len(writers.products)} products "
          "acknowledged before kill -9; none lost")
    assert lost == []


@pytest.mark.live
def test_pending_deliveries_go_out_once_after_a_restart(tmp_path):
    mail = MailServer()  # not up yet: the first server cannot deliver
    settings = {"CONCIERGE_DATA_DIR": str(tmp_path / "data"), "CONCIERGE_SMTP_URL": mail.url,
                "CONCIERGE_MAIL_FROM": "shop@aurora.test", "OUTBOX_RETRY_BASE_SECONDS": "1"}
    ticket = {"name": "Avery", "email": "avery.stone@example.com", "topic": "gift",
              "message": "A scarf for my mother"}
    with gunicorn(tmp_path, **settings) as server:
        answer = requests.post(server.api("/stylist-tickets"), json=ticket, timeout=10)
        assert answer.status_code == 201
        server.kill()
    number = answer.json()["ticketNumber"]
    mail.up()
    try:
        with gunicorn(tmp_path, **settings):
            wait_for(lambda: mail.messages, timeout=20)
            time.sleep(3)  # a second delivery would come within the retry's seconds
        subjects = [message["Subject"] for message in mail.messages]
    finally:
        mail.down()
    assert subjects == [f"We received your request {number}"]


def start(tmp_path, data: Path, *extra: str, **env: str) -> subprocess.CompletedProcess:
    """Run gunicorn as make run does; return how it ended (it must end by itself)."""
    environ = {**os.environ, "MONGO_URI": "", "CONCIERGE_DATA_DIR": str(data), **env}
    gunicorn_bin = Path(sys.executable).with_name("gunicorn")
    return subprocess.run(
        [str(gunicorn_bin), "--bind", f"127.0.0.1:{free_port()}", *extra,
         "-c", "python:concierge.gunicorn_conf", "wsgi:app"],
        cwd=ROOT, env=environ, capture_output=True, text=True, timeout=60)


def refusal(ended: subprocess.CompletedProcess) -> str:
    lines = [line for line in ended.stderr.splitlines() if "will not start" in line]
    assert ended.returncode != 0
    assert len(lines) == 1, ended.stderr[-2000:]
    return lines[0]


@pytest.mark.live
def test_a_second_server_on_a_held_folder_refuses_naming_it(tmp_path):
    data = tmp_path / "data"
    with gunicorn(tmp_path, CONCIERGE_DATA_DIR=str(data)) as first:
        ended = start(tmp_path, data)
        assert requests.get(first.api("/health"), timeout=5).json()["durable"] is True
    assert f"holds the data folder {data}" in refusal(ended)


@pytest.mark.live
def test_several_workers_on_one_data_folder_are_refused(tmp_path):
    ended = start(tmp_path, tmp_path / "data", "--workers", "2")
    assert "lives in one process" in refusal(ended)


@pytest.mark.live
def test_a_damaged_store_stops_the_server_with_one_line(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / durable.FILE_NAME).write_bytes(b"\x00garbage" * 4096)
    assert f"{data / durable.FILE_NAME} is not a readable concierge store" in refusal(
        start(tmp_path, data))


@pytest.mark.live
def test_a_store_without_a_merchant_key_makes_one_once_and_prints_it(tmp_path):
    data = tmp_path / "data"
    keys = []
    for _ in range(2):  # the second start finds the first one's key
        with gunicorn(tmp_path, CONCIERGE_DATA_DIR=str(data), CONCIERGE_MERCHANT_KEY="") as server:
            printed = re.search(r"Merchant API key \(every scope\): (\S+)",
                                server.log.read_text())
            assert printed, server.log.read_text()[-2000:]
            keys.append(printed[1])
            answer = requests.put(server.api("/merchant/products/OWN-0001"), json=product(1),
                                  headers={"Authorization": f"Bearer {printed[1]}"}, timeout=10)
            assert answer.status_code in (200, 201), answer.text
    assert keys[0] == keys[1]
    assert (data / durable.MERCHANT_KEY_FILE).stat().st_mode & 0o777 == 0o600
