"""Capsules and holds: one per email, capacity, expiry, release."""

from datetime import timedelta

import pytest
from pymongo.errors import DuplicateKeyError

from concierge import flags
from concierge.capsules.service import _which_index
from concierge.clock import now

API = "/api/concierge"
WEEKEND, LAST = "capsule-weekend-edit", "capsule-last-one"


def iso(at):
    return at.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def hold(client, capsule=WEEKEND, email="avery.stone@example.com", **extra):
    return client.post(f"{API}/capsule-holds", json={"capsuleId": capsule, "email": email,
                                                     **extra})


def capsules(client):
    response = client.get(f"{API}/capsules")
    assert response.status_code == 200
    return {c["capsuleId"]: c for c in response.get_json()["items"]}


def available(client, capsule):
    return capsules(client)[capsule]["available"]


def expire(db, hold_id):
    db.capsuleHolds.update_one({"holdId": hold_id},
                               {"$set": {"expiresAt": now() - timedelta(seconds=1)}})


def test_capsules_list_carries_the_contract_fields(client, db):
    listed = capsules(client)
    assert {WEEKEND, LAST} <= set(listed)
    weekend = listed[WEEKEND]
    assert set(weekend) == {"capsuleId", "name", "description", "skus", "imageUrl",
                            "capacity", "available", "holdHours", "sizes"}
    assert (weekend["capacity"], weekend["available"]) == (5, 5)
    assert (listed[LAST]["capacity"], listed[LAST]["available"]) == (1, 1)


def test_capsules_list_the_sizes_their_pieces_come_in_smallest_first(client, db):
    weekend = capsules(client)[WEEKEND]
    pieces = db.products.find({"sku": {"$in": weekend["skus"]}})
    offered = {size for piece in pieces for size in piece["sizes"]}
    assert set(weekend["sizes"]) == offered
    letters = [s for s in weekend["sizes"] if s in ("XS", "S", "M", "L", "XL")]
    assert letters == sorted(letters, key=["XS", "S", "M", "L", "XL"].index)


def test_a_hold_is_stored_and_answered(client, db, session_headers, session_id):
    response = client.post(f"{API}/capsule-holds",
                           json={"capsuleId": WEEKEND, "email": " Avery.Stone@Example.com ",
                                 "size": "M"},
                           headers={**session_headers, "X-Request-ID": "req-hold-0001"})
    assert response.status_code == 201
    body = response.get_json()
    assert (body["capsuleId"], body["status"], body["size"]) == (WEEKEND, "active", "M")
    assert len(body["holdId"]) >= 22
    stored = db.capsuleHolds.find_one({"holdId": body["holdId"]})
    assert stored["email"] == "avery.stone@example.com"
    assert stored["expiresAt"] - stored["createdAt"] == timedelta(hours=48)
    assert body["expiresAt"].endswith("Z")
    assert "email" not in body
    assert available(client, WEEKEND) == 4
    event = db.analyticsEvents.find_one({"requestId": "req-hold-0001"})
    assert (event["name"], event["sessionId"]) == ("aurora_capsule_held", session_id)
    assert event["props"]["holdId"] == body["holdId"]


def test_hold_ids_are_unguessable_and_distinct(client):
    ids = {hold(client, email=f"shopper{n}@example.com").get_json()["holdId"]
           for n in range(5)}
    assert len(ids) == 5
    assert all(len(i) >= 22 for i in ids)


def test_the_same_email_cannot_hold_twice_and_sees_its_hold(client, db):
    first = hold(client).get_json()
    again = hold(client, email="AVERY.STONE@example.com ")
    assert again.status_code == 409
    problem = again.get_json()
    assert problem["code"] == "duplicate_hold"
    assert problem["hold"] == {k: v for k, v in first.items() if k != "holdId"}
    assert db.capsuleHolds.count_documents({"capsuleId": WEEKEND}) == 1


def test_a_full_capsule_still_tells_its_holder_about_the_duplicate(client):
    first = hold(client, LAST).get_json()
    again = hold(client, LAST)
    assert again.get_json()["code"] == "duplicate_hold"
    assert again.get_json()["hold"]["expiresAt"] == first["expiresAt"]


def test_duplicate_answer_does_not_reveal_the_hold_id(client):
    first = hold(client, WEEKEND).get_json()
    again = hold(client, WEEKEND)
    assert "holdId" not in again.get_json()["hold"]
    assert first["holdId"] not in again.get_data(as_text=True)


def test_the_same_email_may_hold_another_capsule(client):
    assert hold(client, WEEKEND).status_code == 201
    assert hold(client, LAST).status_code == 201


def test_capacity_is_never_exceeded(client, db):
    statuses = [hold(client, email=f"shopper{n}@example.com").status_code for n in range(7)]
    assert statuses == [201] * 5 + [409] * 2
    last = hold(client, email="late@example.com").get_json()
    assert last["code"] == "capsule_unavailable"
    assert db.capsuleHolds.count_documents({"capsuleId": WEEKEND, "status": "active"}) == 5
    assert available(client, WEEKEND) == 0


def test_an_expired_hold_reads_expired_at_once_and_frees_its_place(client, db):
    first = hold(client, LAST).get_json()
    assert hold(client, LAST, email="next@example.com").status_code == 409
    expire(db, first["holdId"])
    read = client.get(f"{API}/capsule-holds/{first['holdId']}").get_json()
    assert read["status"] == "expired"
    assert db.capsuleHolds.find_one({"holdId": first["holdId"]})["status"] == "active"
    assert available(client, LAST) == 1
    assert hold(client, LAST, email="next@example.com").status_code == 201
    assert db.capsuleHolds.find_one({"holdId": first["holdId"]})["status"] == "expired"
    assert available(client, LAST) == 0


def test_an_email_may_hold_again_once_its_hold_expired(client, db):
    first = hold(client).get_json()
    expire(db, first["holdId"])
    again = hold(client)
    assert again.status_code == 201
    assert again.get_json()["holdId"] != first["holdId"]


def test_release_frees_the_place_and_is_repeatable(client, db, session_headers,
                                                   session_id):
    first = hold(client, LAST).get_json()
    url = f"{API}/capsule-holds/{first['holdId']}"
    released = client.delete(url, headers={**session_headers, "X-Request-ID": "req-rel-00001"})
    assert released.status_code == 200
    body = released.get_json()
    assert (body["status"], body["holdId"]) == ("released", first["holdId"])
    assert body["releasedAt"].endswith("Z")
    assert client.get(url).get_json()["status"] == "released"
    assert available(client, LAST) == 1
    assert hold(client, LAST, email="next@example.com").status_code == 201
    assert client.delete(url).get_json()["status"] == "released"
    event = db.analyticsEvents.find_one({"requestId": "req-rel-00001"})
    assert (event["name"], event["sessionId"]) == ("aurora_capsule_hold_released", session_id)


def test_the_released_email_may_hold_again(client):
    first = hold(client, LAST).get_json()
    client.delete(f"{API}/capsule-holds/{first['holdId']}")
    assert hold(client, LAST).status_code == 201


def test_releasing_an_expired_hold_answers_it_as_expired(client, db):
    first = hold(client).get_json()
    expire(db, first["holdId"])
    response = client.delete(f"{API}/capsule-holds/{first['holdId']}")
    assert response.status_code == 200
    assert response.get_json()["status"] == "expired"


@pytest.mark.parametrize("method", ["get", "delete"])
@pytest.mark.parametrize("hold_id", ["x" * 22, "short", "has.dot.in.it.1234567", "x" * 65])
def test_unknown_holds_answer_404(client, method, hold_id):
    response = getattr(client, method)(f"{API}/capsule-holds/{hold_id}")
    assert response.status_code == 404
    assert response.get_json()["code"] == "hold_not_found"


def test_unknown_capsule_answers_404(client, db):
    response = hold(client, "capsule-nope")
    assert response.status_code == 404
    assert response.get_json()["code"] == "capsule_not_found"
    assert db.capsuleHolds.count_documents({}) == 0


@pytest.mark.parametrize(("payload", "field"), [
    ({"capsuleId": WEEKEND}, "email"),
    ({"email": "a@example.com"}, "capsuleId"),
    ({"capsuleId": WEEKEND, "email": "not an email"}, "email"),
    ({"capsuleId": WEEKEND, "email": {"$ne": None}}, "email"),
    ({"capsuleId": {"$gt": ""}, "email": "a@example.com"}, "capsuleId"),
    ({"capsuleId": "Capsule Weekend", "email": "a@example.com"}, "capsuleId"),
    ({"capsuleId": WEEKEND, "email": "a@example.com", "size": 38}, "size"),
    ({"capsuleId": WEEKEND, "email": "a@example.com", "size": "XXXL"}, "size"),
    ({"capsuleId": WEEKEND, "email": "a@example.com", "slot": 0}, "slot"),
])
def test_bad_bodies_answer_422_per_field(client, db, payload, field):
    response = client.post(f"{API}/capsule-holds", json=payload)
    assert response.status_code == 422
    assert field in response.get_json()["errors"]
    assert db.capsuleHolds.count_documents({}) == 0


def test_holds_are_off_outside_the_feature_flag(client, db):
    flags.set_flag(db, False, 0)
    assert hold(client).get_json()["code"] == "concierge_disabled"
    assert client.get(f"{API}/capsules").status_code == 503


@pytest.mark.parametrize(("details", "message", "expected"), [
    ({"keyPattern": {"capsuleId": 1, "email": 1}}, "E11000", "email"),
    ({"keyPattern": {"capsuleId": 1, "slot": 1}}, "E11000", "slot"),
    (None, "E11000 duplicate key error index: one_active_hold_per_slot dup key", "slot"),
    (None, "E11000 duplicate key error index: one_active_hold_per_email dup key", "email"),
    (None, "E11000 Duplicate Key Error", None),
])
def test_the_index_behind_a_duplicate_is_recognised(details, message, expected):
    assert _which_index(DuplicateKeyError(message, 11000, details)) == expected


class TestWriteLimit:
    @pytest.fixture
    def config(self):
        return {"TESTING": True, "MONGO_URI": "", "RATELIMIT_ENABLED": True,
                "LOG_LEVEL": "WARNING", "WRITE_LIMIT_PER_CLIENT": "2/minute"}

    def test_holds_past_the_per_client_write_limit_answer_429(self, client):
        statuses = [hold(client, email=f"s{n}@example.com").status_code for n in range(3)]
        assert statuses == [201, 201, 429]


# --- lost races (races fixture) and exact instants (clock fixture) ---------------------------

def _competing_hold(email, slot):
    """Another request's hold, stored just before the app's own insert."""
    def insert(db, args, kwargs):
        doc = args[0]
        db.capsuleHolds.insert_one({**{k: v for k, v in doc.items() if k != "_id"},
                                    "email": email, "slot": slot,
                                    "holdId": f"competitor-hold-{slot:06d}"})
    return insert


def test_an_email_that_loses_the_unique_index_race_gets_duplicate_hold(client, db, races):
    races.before("capsuleHolds", "insert_one",
                 _competing_hold("avery.stone@example.com", slot=4))
    response = hold(client)
    assert response.status_code == 409
    problem = response.get_json()
    assert problem["code"] == "duplicate_hold"
    winner = db.capsuleHolds.find_one({"holdId": "competitor-hold-000004"})
    assert problem["hold"]["expiresAt"] == iso(winner["expiresAt"])
    assert db.capsuleHolds.count_documents({"capsuleId": WEEKEND}) == 1


def test_a_slot_lost_to_another_email_is_retried_on_the_next_free_slot(client, db, races):
    races.before("capsuleHolds", "insert_one", _competing_hold("other@example.com", slot=0))
    response = hold(client)
    assert response.status_code == 201
    stored = db.capsuleHolds.find_one({"holdId": response.get_json()["holdId"]})
    assert stored["slot"] == 1
    assert available(client, WEEKEND) == 3


def test_the_last_place_lost_to_another_email_is_capsule_unavailable(client, db, races):
    races.before("capsuleHolds", "insert_one", _competing_hold("other@example.com", slot=0))
    response = hold(client, LAST)
    assert response.status_code == 409
    assert response.get_json()["code"] == "capsule_unavailable"
    assert db.capsuleHolds.count_documents({"email": "avery.stone@example.com"}) == 0


def test_a_hold_ends_exactly_at_its_expiry_instant(client, db, clock):
    start = clock.freeze()
    first = hold(client, LAST).get_json()
    url = f"{API}/capsule-holds/{first['holdId']}"
    end = start + timedelta(hours=24)
    clock.set(end - timedelta(milliseconds=1))
    assert client.get(url).get_json()["status"] == "active"
    assert available(client, LAST) == 0
    assert hold(client, LAST).get_json()["code"] == "duplicate_hold"
    assert hold(client, LAST, email="next@example.com").get_json()["code"] == (
        "capsule_unavailable")
    clock.set(end)
    assert client.get(url).get_json()["status"] == "expired"
    assert available(client, LAST) == 1
    assert client.delete(url).get_json()["status"] == "expired"
    again = hold(client, LAST)
    assert again.status_code == 201
    assert again.get_json()["expiresAt"] == iso(end + timedelta(hours=24))
    assert db.capsuleHolds.find_one({"holdId": first["holdId"]})["status"] == "expired"


def test_the_same_email_losing_the_last_slot_gets_duplicate_hold_whatever_index_is_named(
        client, db, races):
    # Real MongoDB names one violated index; for the same email on the same slot it may
    # name the slot's. The answer must still be duplicate_hold, not capsule_unavailable.
    def win_and_refuse(db, args, kwargs):
        _competing_hold("avery.stone@example.com", slot=0)(db, args, kwargs)
        raise DuplicateKeyError("E11000 duplicate key error index: one_active_hold_per_slot",
                                11000, {"keyPattern": {"capsuleId": 1, "slot": 1}})

    races.before("capsuleHolds", "insert_one", win_and_refuse)
    response = hold(client, LAST)
    assert response.status_code == 409
    assert response.get_json()["code"] == "duplicate_hold"


def test_the_duplicate_answer_tells_the_email_it_already_holds_the_capsule(client):
    hold(client)
    problem = hold(client).get_json()
    assert problem["detail"] == "This email already holds this capsule; see hold for until when."


@pytest.mark.parametrize("method", ["get", "delete"])
def test_an_unknown_hold_is_answered_in_words(client, method):
    problem = getattr(client, method)(f"{API}/capsule-holds/{'x' * 22}").get_json()
    assert problem["detail"] == "No hold has this id."


@pytest.mark.parametrize("method", ["get", "delete"])
def test_a_malformed_hold_id_never_reaches_the_database(client, query_log, method):
    response = getattr(client, method)(f"{API}/capsule-holds/has.dot.in.it.1234567")
    assert response.status_code == 404
    assert [q for q in query_log.queries if q["collection"] == "capsuleHolds"] == []
    update = getattr(client, method)(f"{API}/capsule-holds/{'x' * 22}")
    assert update.status_code == 404
    assert [q["collection"] for q in query_log.queries].count("capsuleHolds") >= 1


def test_a_hold_is_announced_to_the_webhook_and_to_its_email(client, db):
    body = client.post(f"{API}/capsule-holds",
                       json={"capsuleId": WEEKEND, "email": "a@example.com", "size": "M"},
                       headers={"Accept-Language": "de-DE"}).get_json()
    webhook = db.outbox.find_one({"type": "capsule_hold.created", "channel": "webhook"})
    assert webhook["data"] == {"capsuleId": WEEKEND, "expiresAt": body["expiresAt"]}
    email = db.outbox.find_one({"type": "capsule_hold.created", "channel": "email"})
    assert email["email"]["to"] == "a@example.com"
    name = db.capsules.find_one({"capsuleId": WEEKEND})["name"]
    assert email["email"]["context"] == {"holdId": body["holdId"], "capsuleName": name,
                                         "size": "M", "locale": "de"}


def test_a_piece_stored_without_sizes_leaves_the_other_pieces_sizes_on_offer(client, db):
    skus = capsules(client)[WEEKEND]["skus"]
    db.products.update_one({"sku": skus[0]}, {"$unset": {"sizes": ""}})
    others = {s for p in db.products.find({"sku": {"$in": skus[1:]}}) for s in p["sizes"]}
    response = hold(client, size=sorted(others)[0])
    assert response.status_code == 201, response.get_json()


def test_a_hold_takes_the_first_free_slot_with_one_insert(client, db, races):
    hold(client, email="a@example.com")
    hold(client, email="b@example.com")
    races.before("capsuleHolds", "insert_one", lambda db, args, kwargs: None, times=10)
    body = hold(client, email="c@example.com").get_json()
    assert races.fired == ["capsuleHolds.insert_one"]  # the slots held were skipped, not tried
    assert db.capsuleHolds.find_one({"holdId": body["holdId"]})["slot"] == 2


def test_capsules_are_listed_by_id_with_a_sort_real_mongodb_accepts(app, client, db):
    db.capsules.insert_one({**db.capsules.find_one({"capsuleId": WEEKEND}, {"_id": 0}),
                            "capsuleId": "capsule-aaa-first"})
    sorts = []
    store = app.extensions["concierge_store"]
    store.observers.append(lambda target, method, args, kwargs:
                           sorts.append(args) if method == "sort" else None)
    listed = list(capsules(client))
    assert listed == sorted(listed)
    assert listed[0] == "capsule-aaa-first"
    # MongoDB refuses a sort direction other than 1 or -1; the embedded store would not.
    assert ("capsuleId", 1) in sorts


def test_a_second_hold_by_the_same_email_is_refused_before_any_insert(client, races):
    hold(client)
    races.before("capsuleHolds", "insert_one", lambda db, args, kwargs: None, times=10)
    assert hold(client).status_code == 409
    assert races.fired == []


def test_a_size_not_offered_is_refused_naming_the_sizes_offered(client):
    offered = capsules(client)[WEEKEND]["sizes"]
    problem = hold(client, size="XXXL").get_json()
    assert problem["errors"]["size"] == [f"Must be one of: {', '.join(offered)}."]


def test_an_unknown_capsule_is_named_in_the_answer(client):
    assert hold(client, "capsule-nope").get_json()["detail"] == (
        "No capsule has the id 'capsule-nope'.")


def test_a_hold_remembers_the_widget_session_it_came_from(client, db, session_headers,
                                                          session_id):
    body = client.post(f"{API}/capsule-holds", json={"capsuleId": WEEKEND,
                                                     "email": "a@example.com"},
                       headers=session_headers).get_json()
    assert db.capsuleHolds.find_one({"holdId": body["holdId"]})["sessionId"] == session_id


def test_an_email_that_loses_the_race_is_answered_at_its_first_refused_insert(client, races):
    races.before("capsuleHolds", "insert_one",
                 _competing_hold("avery.stone@example.com", slot=4))
    races.before("capsuleHolds", "insert_one", lambda db, args, kwargs: None, times=10)
    assert hold(client).get_json()["code"] == "duplicate_hold"
    assert races.fired == ["capsuleHolds.insert_one"] * 2  # the competitor's, then one own


def test_a_full_capsule_says_every_place_is_held(client, db):
    hold(client, LAST, email="a@example.com")
    problem = hold(client, LAST, email="b@example.com").get_json()
    name = db.capsules.find_one({"capsuleId": LAST})["name"]
    assert problem["detail"] == f"Every place of {name} is held; try again later."
