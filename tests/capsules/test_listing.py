"""GET /capsules is listed once and sent again only while nothing it shows has changed."""

import time
from datetime import timedelta

import pytest

from concierge.api import Dumped
from concierge.capsules.service import KeptListing
from concierge.clock import now
from concierge.seeding import seed

API = "/api/concierge"
WEEKEND, LAST = "capsule-weekend-edit", "capsule-last-one"


def listed(client) -> dict:
    response = client.get(f"{API}/capsules")
    assert response.status_code == 200
    return {c["capsuleId"]: c for c in response.get_json()["items"]}


def hold(client, capsule=WEEKEND, email="avery.stone@example.com") -> dict:
    response = client.post(f"{API}/capsule-holds", json={"capsuleId": capsule, "email": email})
    assert response.status_code == 201
    return response.get_json()


@pytest.fixture
def config(config) -> dict:
    """See product writes on the next read."""
    return {**config, "SEARCH_REFRESH_MS": 0}


def reads(query_log) -> list[dict]:
    return [q for q in query_log.queries if q["collection"] in ("capsules", "capsuleHolds")]


def test_the_same_list_is_sent_again_without_reading_the_store(client, query_log):
    first = client.get(f"{API}/capsules")
    before = len(reads(query_log))
    again = client.get(f"{API}/capsules")
    assert again.get_data() == first.get_data()
    assert len(reads(query_log)) == before


def test_a_hold_shows_in_the_next_list(client):
    assert listed(client)[WEEKEND]["available"] == 5
    hold(client)
    assert listed(client)[WEEKEND]["available"] == 4


def test_a_released_hold_gives_its_place_back_in_the_next_list(client):
    held = hold(client, LAST)
    assert listed(client)[LAST]["available"] == 0
    assert client.delete(f"{API}/capsule-holds/{held['holdId']}").status_code == 200
    assert listed(client)[LAST]["available"] == 1


@pytest.mark.parametrize("write", [
    lambda db: db.capsuleHolds.insert_one({"holdId": "h-direct", "capsuleId": WEEKEND,
                                           "email": "x@example.com", "status": "active",
                                           "slot": 4, "expiresAt": now() + timedelta(hours=1)}),
    lambda db: db.capsules.update_one({"capsuleId": WEEKEND}, {"$set": {"capacity": 7}}),
    lambda db: db.capsules.delete_one({"capsuleId": LAST}),
], ids=["hold inserted", "capacity updated", "capsule deleted"])
def test_a_write_straight_to_the_store_shows_in_the_next_list(client, db, write):
    before = listed(client)
    write(db)
    after = listed(client)
    assert after != before
    assert after == {c["capsuleId"]: c for c in client.get(f"{API}/capsules").get_json()["items"]}


def test_a_place_comes_free_when_its_hold_runs_out_without_any_write(client, clock):
    start = clock.freeze()
    hours = listed(client)[LAST]["holdHours"]
    hold(client, LAST)
    assert listed(client)[LAST]["available"] == 0
    clock.set(start + timedelta(hours=hours, seconds=-1))
    assert listed(client)[LAST]["available"] == 0
    clock.set(start + timedelta(hours=hours))  # the very instant it ends: the place is free
    assert listed(client)[LAST]["available"] == 1


def test_new_sizes_show_in_the_next_list(client, db):
    sku = listed(client)[WEEKEND]["skus"][0]
    db.products.update_one({"sku": sku}, {"$set": {"sizes": ["XXS"], "updatedAt": now()}})
    assert "XXS" in listed(client)[WEEKEND]["sizes"]


@pytest.mark.parametrize(("kept", "ends_in", "ages_in", "writes", "changes", "sizes", "fits"), [
    ((3, 1), None, 60, (3, 1), 0, (("S",),), True),
    ((3, 1), None, 60, (3, 2), 0, (("S",),), False),  # a hold written
    ((3, 1), None, 60, (3, 1), 1, (("S",),), False),  # a hold placed or released here
    ((3, 1), None, 60, (3, 1), 0, (("S", "M"),), False),  # a size added
    ((3, 1), 60, 60, (3, 1), 0, (("S",),), True),  # a hold still running
    ((3, 1), -1, 60, (3, 1), 0, (("S",),), False),  # a hold ran out
    ((3, 1), None, -1, (3, 1), 0, (("S",),), True),  # counted writes: exact, never aged
    (None, None, 60, None, 0, (("S",),), True),  # MongoDB: kept for a second
    (None, None, -0.001, None, 0, (("S",),), False),
], ids=["unchanged", "hold written", "hold changed here", "size added", "hold running",
        "hold ran out", "counted writes never age", "mongodb fresh", "mongodb after a second"])
def test_a_kept_list_fits_only_while_what_it_shows_is_unchanged(kept, ends_in, ages_in, writes,
                                                                changes, sizes, fits):
    at = now()
    until = None if ends_in is None else at + timedelta(seconds=ends_in)
    listing = KeptListing(Dumped(items=[]), kept, 0, (("S",),), until,
                          time.monotonic() + ages_in)
    assert listing.fits(writes, changes, sizes, at) is fits


@pytest.mark.parametrize("change", ["hold", "release"])
def test_on_mongodb_a_hold_placed_or_released_here_shows_in_the_next_list(mongodb_app, mongodb,
                                                                          change):
    seed(mongodb)  # MONGO_URI: no write counts, the list is kept for a second
    client = mongodb_app.test_client()
    held = hold(client, LAST) if change == "release" else None
    before = listed(client)[LAST]["available"]
    if held:
        assert client.delete(f"{API}/capsule-holds/{held['holdId']}").status_code == 200
    else:
        hold(client, LAST)
    assert listed(client)[LAST]["available"] == before + (1 if held else -1)


def test_on_mongodb_another_processs_hold_shows_within_a_second(mongodb_app, mongodb):
    seed(mongodb)
    client = mongodb_app.test_client()
    assert listed(client)[LAST]["available"] == 1
    mongodb.capsuleHolds.insert_one({"holdId": "h-elsewhere", "capsuleId": LAST, "slot": 0,
                                     "email": "x@example.com", "status": "active",
                                     "expiresAt": now() + timedelta(hours=1)})
    assert listed(client)[LAST]["available"] == 1  # kept: nothing here counts that write
    deadline = time.monotonic() + 5
    while listed(client)[LAST]["available"] == 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert listed(client)[LAST]["available"] == 0
