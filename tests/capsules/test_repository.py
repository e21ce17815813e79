"""Hold queries: each one touches only the hold or capsule it names."""

from datetime import timedelta

API = "/api/concierge"
WEEKEND, LAST = "capsule-weekend-edit", "capsule-last-one"


def iso(at):
    return at.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def hold(client, capsule=WEEKEND, email="avery.stone@example.com"):
    response = client.post(f"{API}/capsule-holds", json={"capsuleId": capsule, "email": email})
    assert response.status_code == 201
    return response.get_json()


def status(db, hold_id):
    return db.capsuleHolds.find_one({"holdId": hold_id})["status"]


def test_releasing_one_hold_leaves_the_others_active(client, db):
    mine, theirs = hold(client, email="me@example.com"), hold(client, email="you@example.com")
    released = client.delete(f"{API}/capsule-holds/{mine['holdId']}").get_json()
    assert (released["holdId"], released["status"]) == (mine["holdId"], "released")
    assert status(db, theirs["holdId"]) == "active"
    assert client.get(f"{API}/capsule-holds/{theirs['holdId']}").get_json()["status"] == "active"


def test_a_second_release_keeps_the_first_release_time(client, db, clock):
    first = hold(client)
    url = f"{API}/capsule-holds/{first['holdId']}"
    released_at = clock.freeze()
    assert client.delete(url).get_json()["releasedAt"] == iso(released_at)
    clock.advance(minutes=5)
    again = client.delete(url).get_json()
    assert again["releasedAt"] == iso(released_at)
    assert db.capsuleHolds.find_one({"holdId": first["holdId"]})["releasedAt"] == released_at


def test_a_released_hold_stays_released_after_its_time_has_passed(client, db, clock):
    start = clock.freeze()
    first = hold(client, LAST)
    client.delete(f"{API}/capsule-holds/{first['holdId']}")
    clock.set(start + timedelta(hours=25))
    hold(client, LAST, email="next@example.com")  # sweeps the capsule's due holds
    assert status(db, first["holdId"]) == "released"
    assert client.get(f"{API}/capsule-holds/{first['holdId']}").get_json()["status"] == (
        "released")


def test_the_expiry_sweep_touches_only_the_capsule_being_held(client, db, clock):
    start = clock.freeze()
    weekend = hold(client, WEEKEND)
    clock.set(start + timedelta(hours=49))
    hold(client, LAST)
    # The weekend hold reads expired (as of now) but is only rewritten by its own sweep.
    assert status(db, weekend["holdId"]) == "active"
    assert client.get(f"{API}/capsule-holds/{weekend['holdId']}").get_json()["status"] == (
        "expired")
    hold(client, WEEKEND, email="next@example.com")
    assert status(db, weekend["holdId"]) == "expired"


def test_an_ended_hold_cannot_be_released(client, db, clock):
    start = clock.freeze()
    first = hold(client, LAST)
    clock.set(start + timedelta(hours=24))
    assert client.delete(f"{API}/capsule-holds/{first['holdId']}").get_json()["status"] == (
        "expired")
    stored = db.capsuleHolds.find_one({"holdId": first["holdId"]})
    assert (stored["status"], stored.get("releasedAt")) == ("active", None)
