"""PUT, GET and DELETE /merchant/capsules: the store's own capsules."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ..support.queries import unserved
from ..support.spec import documented_errors
from .conftest import API

SHOP = "/api/concierge"
CAPSULE = "capsule-linen-week"


def capsule_body(**changes) -> dict:
    """A valid PUT /merchant/capsules body naming seeded products."""
    body = {"name": "Linen Week", "description": "Three linen pieces for warm days.",
            "skus": ["AUR-DR-0001", "aur-kn-0006"], "capacity": 2, "holdHours": 24}
    body.update(changes)
    return body


def put(client, auth, capsule_id=CAPSULE, **changes):
    return client.put(f"{API}/capsules/{capsule_id}", json=capsule_body(**changes),
                      headers=auth)


def shopper_capsules(client) -> dict:
    return {c["capsuleId"]: c for c in client.get(f"{SHOP}/capsules").get_json()["items"]}


def hold(client, email, capsule_id=CAPSULE):
    return client.post(f"{SHOP}/capsule-holds", json={"capsuleId": capsule_id, "email": email})


def test_a_new_capsule_is_created_and_shown_to_shoppers(client, auth):
    answer = put(client, auth)
    assert answer.status_code == 201
    body = answer.get_json()
    assert body["skus"] == ["AUR-DR-0001", "AUR-KN-0006"]
    assert (body["retired"], body["activeHolds"], body["capacity"]) == (False, 0, 2)
    shown = shopper_capsules(client)[CAPSULE]
    assert (shown["name"], shown["available"], shown["holdHours"]) == ("Linen Week", 2, 24)


def test_the_same_body_again_is_unchanged_and_writes_nothing(client, auth, db):
    put(client, auth)
    before = db.capsules.find_one({"capsuleId": CAPSULE})["updatedAt"]
    again = put(client, auth)
    assert again.status_code == 200
    assert db.capsules.find_one({"capsuleId": CAPSULE})["updatedAt"] == before


def test_editing_a_capsule_replaces_it_and_keeps_its_holds(client, auth, clock):
    clock.freeze()
    put(client, auth)
    held = hold(client, "ada@example.com").get_json()
    clock.advance(minutes=1)
    edited = put(client, auth, name="Linen Fortnight", capacity=3, holdHours=48)
    assert edited.status_code == 200
    assert (edited.get_json()["name"], edited.get_json()["activeHolds"]) == ("Linen Fortnight", 1)
    assert shopper_capsules(client)[CAPSULE]["available"] == 2
    kept = client.get(f"{SHOP}/capsule-holds/{held['holdId']}").get_json()
    assert kept["expiresAt"] == held["expiresAt"]  # placed under the old holdHours


def test_retiring_hides_the_capsule_and_refuses_holds_but_active_holds_stay(client, auth,
                                                                          clock):
    clock.freeze()
    put(client, auth)
    held = hold(client, "ada@example.com").get_json()
    retired = client.delete(f"{API}/capsules/{CAPSULE}", headers=auth)
    assert retired.status_code == 200
    assert (retired.get_json()["retired"], retired.get_json()["activeHolds"]) == (True, 1)
    assert CAPSULE not in shopper_capsules(client)
    refused = hold(client, "bo@example.com")
    assert (refused.status_code, refused.get_json()["code"]) == (409, "capsule_unavailable")
    assert client.get(f"{SHOP}/capsule-holds/{held['holdId']}").get_json()["status"] == "active"
    clock.advance(hours=25)
    assert client.get(f"{SHOP}/capsule-holds/{held['holdId']}").get_json()["status"] == "expired"


def test_retiring_again_answers_the_same(client, auth, clock):
    clock.freeze()
    put(client, auth)
    first = client.delete(f"{API}/capsules/{CAPSULE}", headers=auth).get_json()
    clock.advance(minutes=5)
    assert client.delete(f"{API}/capsules/{CAPSULE}", headers=auth).get_json() == first


def test_a_put_offers_a_retired_capsule_again(client, auth):
    put(client, auth)
    client.delete(f"{API}/capsules/{CAPSULE}", headers=auth)
    assert put(client, auth).get_json()["retired"] is False
    assert CAPSULE in shopper_capsules(client)


def test_retiring_an_unknown_capsule_is_404(client, auth):
    answer = client.delete(f"{API}/capsules/capsule-nobody", headers=auth)
    assert (answer.status_code, answer.get_json()["code"]) == (404, "capsule_not_found")
    assert answer.content_type == "application/problem+json"


def test_the_merchant_list_has_every_capsule_retired_ones_too(client, auth):
    put(client, auth)
    client.delete(f"{API}/capsules/capsule-last-one", headers=auth)
    listed = {c["capsuleId"]: c for c in
              client.get(f"{API}/capsules", headers=auth).get_json()["items"]}
    assert {CAPSULE, "capsule-last-one", "capsule-weekend-edit"} <= set(listed)
    assert listed["capsule-last-one"]["retired"] is True
    assert listed["capsule-weekend-edit"]["retired"] is False


def test_a_capsule_is_shown_only_within_its_window(client, auth, clock):
    at = clock.freeze()
    put(client, auth, startsAt=(at + timedelta(hours=1)).isoformat(),
        endsAt=(at + timedelta(hours=2)).isoformat())
    assert CAPSULE not in shopper_capsules(client)
    assert hold(client, "ada@example.com").status_code == 409
    clock.advance(hours=1)
    assert CAPSULE in shopper_capsules(client)
    assert hold(client, "ada@example.com").status_code == 201
    clock.advance(hours=1)
    assert CAPSULE not in shopper_capsules(client)


@pytest.mark.parametrize(("changes", "field"), [
    ({"name": ""}, "name"),
    ({"skus": []}, "skus"),
    ({"skus": ["AUR-DR-0001", "aur-dr-0001"]}, "skus.1"),
    ({"skus": ["NO-SUCH-SKU"]}, "skus.0"),
    ({"skus": ["bad sku!"]}, "skus.0"),
    ({"capacity": 0}, "capacity"),
    ({"capacity": "3"}, "capacity"),
    ({"holdHours": 721}, "holdHours"),
    ({"imageUrl": "//evil.example/x.png"}, "imageUrl"),
    ({"startsAt": "2027-01-02T00:00:00Z", "endsAt": "2027-01-01T00:00:00Z"}, "endsAt"),
    ({"colour": "red"}, "colour"),
])
def test_a_bad_body_is_422_naming_the_field(client, auth, changes, field):
    answer = put(client, auth, **changes)
    assert answer.status_code == 422
    assert field in answer.get_json()["errors"]


@pytest.mark.parametrize("capsule_id", ["Capsule-Upper", "a" * 65, "under_score"])
def test_a_bad_capsule_id_is_422(client, auth, capsule_id):
    answer = put(client, auth, capsule_id=capsule_id)
    assert (answer.status_code, list(answer.get_json()["errors"])) == (422, ["capsuleId"])


@pytest.mark.parametrize(("method", "path"), [
    ("put", f"/capsules/{CAPSULE}"), ("get", "/capsules"), ("delete", f"/capsules/{CAPSULE}")])
def test_every_capsule_endpoint_needs_a_key(client, method, path):
    answer = getattr(client, method)(f"{API}{path}", json=capsule_body())
    assert answer.status_code == 401


def test_a_key_without_the_catalogue_scope_is_403(client, make_key):
    key, _ = make_key("orders:write")
    answer = client.get(f"{API}/capsules", headers={"Authorization": f"Bearer {key}"})
    assert answer.status_code == 403


@pytest.mark.parametrize(("method", "path", "codes"), [
    ("put", "/merchant/capsules/{capsuleId}", {(401, "unauthorized"), (422, "validation_error")}),
    ("get", "/merchant/capsules", {(401, "unauthorized"), (403, "insufficient_scope")}),
    ("delete", "/merchant/capsules/{capsuleId}", {(404, "capsule_not_found")}),
])
def test_openapi_documents_every_answer(spec, method, path, codes):
    assert codes <= documented_errors(spec, method, path)


def test_every_query_is_index_backed(client, auth, query_log):
    put(client, auth)
    put(client, auth)
    hold(client, "ada@example.com")
    client.get(f"{API}/capsules", headers=auth)
    client.delete(f"{API}/capsules/{CAPSULE}", headers=auth)
    client.get(f"{SHOP}/capsules")
    assert any(q["collection"] == "capsules" for q in query_log.queries)
    assert unserved(query_log) == []
