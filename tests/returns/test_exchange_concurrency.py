"""Eight shoppers exchange for the last unit at once: exactly one gets it, on every store."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta

import pymongo
import pytest
import requests

from concierge.events import now
from concierge.schemas import iso_z

from ..merchant.conftest import BOOTSTRAP, order_body
from ..merchant.variants import DRESS, dress_body
from ..support.live import gunicorn
from ..test_concurrency import together

PARALLEL = 8
AUTH = {"Authorization": f"Bearer {BOOTSTRAP}"}
ORDER, EMAIL = "GG-LAST-1", "maya.chen@example.com"
LINE = {"name": "Satin Slip Dress", "price": {"amount": 13900, "currency": "USD"}}


def prepare(send) -> None:
    """The dress with one navy S left, and a delivered order of eight black S."""
    assert send("PUT", f"/merchant/products/{DRESS}", json=dress_body()).status_code in (200,
                                                                                      201)
    assert send("PUT", "/merchant/inventory/VAR-NVY-S", json={"stock": 1}).status_code == 200
    delivered = iso_z(now() - timedelta(days=2))
    body = order_body(status="delivered", placedAt=delivered, deliveredAt=delivered,
                      items=[{"sku": "VAR-BLK-S", "quantity": PARALLEL, **LINE}])
    assert send("PUT", f"/merchant/orders/{ORDER}", json=body).status_code in (200, 201)


BODY = {"orderNumber": ORDER, "email": EMAIL, "items": [{
    "sku": "VAR-BLK-S", "quantity": 1, "reason": "too_small", "resolution": "exchange",
    "exchangeSku": "VAR-NVY-S"}]}


def race(url: str, keys: list[str]) -> list[requests.Response]:
    return together(lambda i: requests.post(url, json=BODY, timeout=60,
                                            headers={"Idempotency-Key": keys[i]}),
                    count=PARALLEL)


def navy_s_available(server) -> bool:
    product = requests.get(server.api("/products/VAR-NVY-S"), timeout=10).json()
    return next(v for v in product["variants"] if v["sku"] == "VAR-NVY-S")["available"]


def run_against(server) -> None:
    session = requests.Session()

    def send(method, path, **kwargs):
        return session.request(method, server.api(path), headers=AUTH, timeout=30, **kwargs)

    prepare(send)
    keys = [f"last-unit-{i:03d}-{secrets.token_hex(4)}" for i in range(PARALLEL)]
    answers = race(server.api("/returns"), keys)
    statuses = [a.status_code for a in answers]
    assert sorted(statuses) == [201] + [409] * (PARALLEL - 1), [a.text[:200] for a in answers]
    assert {a.json()["code"] for a in answers if a.status_code == 409} == {
        "exchange_unavailable"}
    assert not navy_s_available(server)
    # The winner's retry replays its answer and reserves nothing; a loser's retry still
    # finds nothing to reserve.
    winner = statuses.index(201)
    again = requests.post(server.api("/returns"), json=BODY, timeout=30,
                          headers={"Idempotency-Key": keys[winner]})
    assert again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == answers[winner].json()
    loser = requests.post(server.api("/returns"), json=BODY, timeout=30,
                          headers={"Idempotency-Key": keys[statuses.index(409)]})
    assert loser.status_code == 409
    # Restocked by one: exactly one more exchange fits.
    assert send("PUT", "/merchant/inventory/VAR-NVY-S", json={"stock": 1}).status_code == 200
    late = [requests.post(server.api("/returns"), json=BODY, timeout=30,
                          headers={"Idempotency-Key": f"late-{n}-{secrets.token_hex(4)}"})
            for n in range(2)]
    assert [a.status_code for a in late] == [201, 409]


@pytest.mark.live
@pytest.mark.slow
def test_eight_parallel_exchanges_for_the_last_unit_give_one_201(tmp_path):
    with gunicorn(tmp_path, threads=8, CONCIERGE_MERCHANT_KEY=BOOTSTRAP) as server:
        run_against(server)


@pytest.mark.live
@pytest.mark.mongo
@pytest.mark.slow
def test_four_workers_on_mongodb_never_oversell(tmp_path, mongo_uri):
    name = os.environ.get("MONGO_TEST_DB") or f"concierge_test_{secrets.token_hex(4)}"
    try:
        with gunicorn(tmp_path, workers=4, threads=4, MONGO_URI=mongo_uri, MONGO_DB=name,
                      CONCIERGE_MERCHANT_KEY=BOOTSTRAP, CONCIERGE_SEED="none") as server:
            run_against(server)
            stored = pymongo.MongoClient(mongo_uri)[name].products.find_one({"sku": DRESS})
            assert next(v["stock"] for v in stored["variants"]
                        if v["sku"] == "VAR-NVY-S") == 0
    finally:
        pymongo.MongoClient(mongo_uri).drop_database(name)
