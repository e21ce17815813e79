"""Parallel requests: one RMA per Idempotency-Key, no over-return, no overselling."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from .support.live import gunicorn

PARALLEL = 24
ORDER = {"orderNumber": "GG-10457", "email": "jordan.lee@example.com"}


def together(call, count=PARALLEL):
    """Run call(i) for i in range(count) on as many threads, released at once."""
    barrier = threading.Barrier(count)

    def run(i):
        barrier.wait()
        return call(i)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def return_body(sku, quantity=1):
    return {**ORDER, "items": [{"sku": sku, "quantity": quantity, "reason": "damaged"}]}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A private gunicorn (1 worker, 8 threads, embedded store) for this module."""
    # One client address places every hold here: the caps per address are lifted.
    with gunicorn(tmp_path_factory.mktemp("concurrency"), threads=8,
                  HOLDS_PER_CLIENT="1000") as live:
        yield live


@pytest.mark.live
class TestOverHTTP:
    def test_one_idempotency_key_creates_exactly_one_rma(self, server):
        url = server.api("/returns")
        headers = {"Idempotency-Key": "parallel-key-0001"}
        body = return_body("AUR-TP-0001")
        answers = together(lambda i: requests.post(url, json=body, headers=headers,
                                                   timeout=30))
        statuses = [a.status_code for a in answers]
        assert set(statuses) <= {201, 409}, statuses
        created = [a for a in answers if a.status_code == 201]
        fresh = [a for a in created if "Idempotent-Replayed" not in a.headers]
        assert len(fresh) == 1
        assert {a.json()["rmaNumber"] for a in created} == {fresh[0].json()["rmaNumber"]}
        assert all(a.headers["Idempotent-Replayed"] == "true" for a in created
                   if a is not fresh[0])
        assert all(a.json()["code"] == "idempotency_request_in_progress"
                   for a in answers if a.status_code == 409)
        # Two were bought: one more return of one fits, a third does not, so
        # the burst consumed exactly one (exactly one RMA document).
        later = [requests.post(url, json=body, headers={"Idempotency-Key": f"later-key-{n}0"},
                               timeout=10) for n in range(2)]
        assert [a.status_code for a in later] == [201, 422]
        assert later[1].json()["items"][0]["returnable"] == 0

    def test_parallel_returns_never_return_more_than_was_bought(self, server):
        url = server.api("/returns")
        answers = together(lambda i: requests.post(
            url, json=return_body("AUR-TR-0001"),
            headers={"Idempotency-Key": f"over-return-{i:04d}"}, timeout=30))
        statuses = sorted(a.status_code for a in answers)
        assert statuses == [201] + [422] * (PARALLEL - 1)
        assert {a.json()["code"] for a in answers if a.status_code == 422} == {
            "return_quantity_exceeded"}

    def test_the_last_capsule_place_has_exactly_one_winner(self, server):
        url = server.api("/capsule-holds")
        answers = together(lambda i: requests.post(
            url, json={"capsuleId": "capsule-last-one", "email": f"racer{i}@example.com"},
            timeout=30))
        winners = [a for a in answers if a.status_code == 201]
        losers = [a for a in answers if a.status_code != 201]
        assert len(winners) == 1
        assert {a.status_code for a in losers} == {409}
        assert {a.json()["code"] for a in losers} == {"capsule_unavailable"}
        hold = requests.get(server.api(f"/capsule-holds/{winners[0].json()['holdId']}"),
                            timeout=10).json()
        assert hold["status"] == "active"
        capsules = requests.get(server.api("/capsules"), timeout=10).json()["items"]
        last = next(c for c in capsules if c["capsuleId"] == "capsule-last-one")
        assert last["available"] == 0

    def test_the_weekend_edit_takes_exactly_its_five_holds(self, server):
        url = server.api("/capsule-holds")
        answers = together(lambda i: requests.post(
            url, json={"capsuleId": "capsule-weekend-edit", "email": f"w{i}@example.com"},
            timeout=30))
        assert sorted(a.status_code for a in answers) == [201] * 5 + [409] * (PARALLEL - 5)
        assert len({a.json()["holdId"] for a in answers if a.status_code == 201}) == 5


class TestInProcess:
    """The same races through the app directly, checking the documents themselves."""

    def test_one_key_one_document(self, app, db):
        def post(i):
            return app.test_client().post("/api/concierge/returns", json=return_body(
                "AUR-DR-0003"), headers={"Idempotency-Key": "in-process-key-1"})

        statuses = [r.status_code for r in together(post)]
        assert set(statuses) <= {201, 409}
        assert db.returns.count_documents({"orderNumber": "GG-10457"}) == 1
        order = db.orders.find_one({"orderNumber": "GG-10457"})
        assert order["returnedQuantities"] == {"AUR-DR-0003": 1}

    def test_same_email_racing_itself_gets_one_hold(self, app, db):
        def post(i):
            return app.test_client().post("/api/concierge/capsule-holds", json={
                "capsuleId": "capsule-evening-atelier", "email": "twin@example.com"})

        answers = together(post)
        assert sorted(r.status_code for r in answers) == [201] + [409] * (PARALLEL - 1)
        assert {r.get_json()["code"] for r in answers if r.status_code == 409} == {
            "duplicate_hold"}
        assert db.capsuleHolds.count_documents({"email": "twin@example.com",
                                                "status": "active"}) == 1

    def test_the_last_place_in_process(self, app, db):
        def post(i):
            return app.test_client().post("/api/concierge/capsule-holds", json={
                "capsuleId": "capsule-last-one", "email": f"inproc{i}@example.com"})

        assert sorted(r.status_code for r in together(post)) == [201] + [409] * (PARALLEL - 1)
        assert db.capsuleHolds.count_documents({"capsuleId": "capsule-last-one",
                                                "status": "active"}) == 1
