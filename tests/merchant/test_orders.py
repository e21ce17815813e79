"""PUT and batch orders; events idempotent by eventId, status by the latest event time."""

from __future__ import annotations

import threading

import pytest
from pymongo.errors import AutoReconnect

from ..support import subscribing
from .conftest import API, order_body

SHOP = "/api/concierge"


def put(client, auth, number, body):
    return client.put(f"{API}/orders/{number}", json=body, headers=auth)


def event(client, auth, number, event_id, status, at, description="Scan", **extra):
    return client.post(f"{API}/orders/{number}/events", headers=auth, json={
        "eventId": event_id, "status": status, "at": at, "description": description,
        **extra})


def lookup(client, number, email="maya.chen@example.com"):
    return client.post(f"{SHOP}/orders/lookup", json={"orderNumber": number, "email": email})


def test_put_creates_an_order_shoppers_can_track(client, auth):
    created = put(client, auth, "gg 30001", order_body())
    assert created.status_code == 201
    assert created.get_json()["orderNumber"] == "GG30001"
    found = lookup(client, "GG30001")
    assert found.status_code == 200
    assert found.get_json()["status"] == "shipped"
    assert lookup(client, "GG30001", "someone@example.com").status_code == 404
    by_postcode = client.post(f"{SHOP}/orders/lookup",
                              json={"orderNumber": "gg30001", "postalCode": "02139"})
    assert by_postcode.status_code == 200


def test_put_replaces_the_order_but_keeps_its_timeline(client, auth, db):
    put(client, auth, "GG-30002", order_body())
    event(client, auth, "GG-30002", "e-1", "in_transit", "2026-01-11T10:00:00Z")
    replaced = put(client, auth, "GG-30002", order_body(carrier="DHL"))
    assert replaced.status_code == 200
    stored = db.orders.find_one({"orderNumber": "GG-30002"})
    assert stored["carrier"] == "DHL"
    assert [e["eventId"] for e in stored["timeline"]] == ["e-1"]
    assert put(client, auth, "GG-30002", order_body(carrier="DHL")).status_code == 200


def test_a_delivered_order_from_the_merchant_can_be_returned(client, auth):
    put(client, auth, "GG-30003", order_body(status="delivered",
                                             deliveredAt="2099-01-01T00:00:00Z"))
    answer = client.post(f"{SHOP}/returns", headers={"Idempotency-Key": "merchant-ret-1"},
                         json={"orderNumber": "GG-30003", "email": "maya.chen@example.com",
                               "items": [{"sku": "AUR-DR-0001", "quantity": 1,
                                          "reason": "too_small"}]})
    assert answer.status_code == 201, answer.get_json()


@pytest.mark.parametrize(("change", "field"), [
    ({"email": "not-an-email"}, "email"),
    ({"status": "lost"}, "status"),
    ({"placedAt": "yesterday"}, "placedAt"),
    ({"items": []}, "items"),
    ({"items": [{"sku": "AUR-DR-0001", "name": "x", "quantity": 0,
                 "price": {"amount": 1, "currency": "USD"}}]}, "items.0.quantity"),
    ({"trackingUrl": "ftp://x"}, "trackingUrl"),
    ({"timeline": []}, "timeline"),
])
def test_bad_order_bodies_get_422(client, auth, change, field):
    answer = put(client, auth, "GG-30004", order_body(**change))
    assert answer.status_code == 422
    assert field in answer.get_json()["errors"]


def test_a_bad_order_number_gets_422(client, auth):
    answer = put(client, auth, "G#1", order_body())
    assert answer.status_code == 422
    assert "orderNumber" in answer.get_json()["errors"]


def test_an_event_is_added_once_per_event_id(client, auth, db):
    put(client, auth, "GG-30005", order_body())
    first = event(client, auth, "GG-30005", "evt-1", "out_for_delivery",
                  "2026-01-12T08:00:00Z", "Out for delivery", location="Boston, MA")
    assert first.status_code == 201
    assert first.get_json()["orderStatus"] == "out_for_delivery"
    again = event(client, auth, "GG-30005", "evt-1", "out_for_delivery",
                  "2026-01-12T08:00:00Z", "Out for delivery")
    assert again.status_code == 200
    assert again.get_json()["receivedAt"] == first.get_json()["receivedAt"]
    assert len(db.orders.find_one({"orderNumber": "GG-30005"})["timeline"]) == 1
    assert db.orderEvents.count_documents({"orderNumber": "GG-30005"}) == 1
    timeline = lookup(client, "GG-30005").get_json()["timeline"]
    assert timeline == [{"status": "out_for_delivery", "at": "2026-01-12T08:00:00.000Z",
                         "description": "Out for delivery", "location": "Boston, MA"}]


def test_the_status_follows_the_latest_event_by_time_not_arrival(client, auth):
    put(client, auth, "GG-30006", order_body(status="processing"))
    event(client, auth, "GG-30006", "b", "delivered", "2026-01-14T12:00:00Z", "Delivered")
    late = event(client, auth, "GG-30006", "a", "in_transit", "2026-01-12T12:00:00Z")
    assert late.status_code == 201
    assert late.get_json()["orderStatus"] == "delivered"
    order = lookup(client, "GG-30006").get_json()
    assert order["status"] == "delivered"
    assert order["deliveredAt"] == "2026-01-14T12:00:00.000Z"
    assert [e["status"] for e in order["timeline"]] == ["in_transit", "delivered"]


def test_an_event_older_than_the_orders_own_dates_leaves_the_status(client, auth):
    put(client, auth, "GG-30007", order_body(status="delivered",
                                             deliveredAt="2026-01-15T00:00:00Z"))
    event(client, auth, "GG-30007", "x", "shipped", "2026-01-11T00:00:00Z")
    assert lookup(client, "GG-30007").get_json()["status"] == "delivered"


def test_the_same_event_sent_at_once_many_times_is_stored_once(client, auth, app, db):
    put(client, auth, "GG-30008", order_body())
    codes = []

    def send():
        local = app.test_client()
        codes.append(event(local, auth, "GG-30008", "race", "in_transit",
                           "2026-01-12T00:00:00Z").status_code)

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(codes) == [200] * 7 + [201]
    assert len(db.orders.find_one({"orderNumber": "GG-30008"})["timeline"]) == 1
    assert db.outbox.count_documents({"data.orderNumber": "GG-30008",
                                      "channel": "webhook"}) == 1


def test_each_new_event_queues_order_updated_with_the_subscriber_count(client, auth, db):
    put(client, auth, "GG-30009", order_body())
    for destination in ("maya.chen@example.com", "maya@example.org"):
        subscribing.subscribe(client, db, destination, order="GG-30009",
                              factors={"email": "maya.chen@example.com"})
    event(client, auth, "GG-30009", "n-1", "in_transit", "2026-01-12T09:30:00Z",
          "Departed facility")
    event(client, auth, "GG-30009", "n-1", "in_transit", "2026-01-12T09:30:00Z",
          "Departed facility")
    messages = list(db.outbox.find({"type": "order.updated", "channel": "webhook"}))
    assert len(messages) == 1
    expected = {
        "orderNumber": "GG-30009", "eventId": "n-1", "status": "in_transit",
        "at": "2026-01-12T09:30:00.000Z", "description": "Departed facility",
        "location": None, "orderStatus": "in_transit", "subscribers": 2}
    assert {k: messages[0]["data"].get(k) for k in expected} == expected


def test_an_event_for_an_unknown_order_is_404(client, auth):
    answer = event(client, auth, "GG-99999", "e", "shipped", "2026-01-12T09:30:00Z")
    assert answer.status_code == 404
    assert answer.get_json()["code"] == "order_not_found"


@pytest.mark.parametrize(("change", "field"), [
    ({"eventId": ""}, "eventId"),
    ({"eventId": "has space"}, "eventId"),
    ({"status": "placed"}, "status"),
    ({"at": "soon"}, "at"),
    ({"description": ""}, "description"),
    ({"extra": 1}, "extra"),
])
def test_bad_events_get_422(client, auth, change, field):
    body = {"eventId": "ok", "status": "shipped", "at": "2026-01-12T09:30:00Z",
            "description": "Handed over", **change}
    answer = client.post(f"{API}/orders/GG-11982/events", json=body, headers=auth)
    assert answer.status_code == 422
    assert field in answer.get_json()["errors"]


def test_events_are_unique_by_an_index(db):
    index = db.orderEvents.index_information()["one_event_per_id"]
    assert index["unique"]
    assert index["key"] == [("orderNumber", 1), ("eventId", 1)]


def test_an_order_batch_reports_each_order(client, auth):
    put(client, auth, "GG-30010", order_body())
    answer = client.post(f"{API}/orders/batch", headers=auth, json={"orders": [
        {"orderNumber": "GG-30011", **order_body()},
        {"orderNumber": "GG-30010", **order_body()},
        {"orderNumber": "GG-30012", **order_body(email="nope")},
        {**order_body()},
    ]})
    assert [r["status"] for r in answer.get_json()["results"]] == [
        "created", "unchanged", "rejected", "rejected"]
    assert "email" in answer.get_json()["results"][2]["errors"]
    assert lookup(client, "GG-30011").status_code == 200


def _dies_before_the_event_is_marked_applied(races):
    """Make the worker die after the event reached the order and the outbox."""
    def die(db, args, kwargs):
        raise AutoReconnect("worker killed")

    races.before("orderEvents", "update_one", die,
                 when=lambda args, kwargs: "appliedAt" in args[1]["$set"])


def test_an_event_resent_after_a_crash_is_listed_and_announced_once(client, auth, db, races):
    put(client, auth, "GG-30013", order_body())
    _dies_before_the_event_is_marked_applied(races)
    crashed = event(client, auth, "GG-30013", "c-1", "in_transit", "2026-01-12T09:30:00Z")
    assert crashed.status_code == 503
    again = event(client, auth, "GG-30013", "c-1", "in_transit", "2026-01-12T09:30:00Z")
    assert again.status_code == 200
    assert again.get_json()["orderStatus"] == "in_transit"
    assert [e["eventId"] for e in db.orders.find_one({"orderNumber": "GG-30013"})[
        "timeline"]] == ["c-1"]
    assert db.outbox.count_documents({"data.orderNumber": "GG-30013",
                                      "channel": "webhook"}) == 1


def test_a_resent_event_leaves_the_order_as_it_is(client, auth, db, clock):
    clock.freeze()
    put(client, auth, "GG-30014", order_body())
    event(client, auth, "GG-30014", "r-1", "in_transit", "2026-01-12T09:30:00Z")
    before = db.orders.find_one({"orderNumber": "GG-30014"})
    clock.advance(minutes=5)
    assert event(client, auth, "GG-30014", "r-1", "in_transit",
                 "2026-01-12T09:30:00Z").status_code == 200
    assert db.orders.find_one({"orderNumber": "GG-30014"}) == before


def test_a_late_event_still_moves_the_orders_updated_at(client, auth, db, clock):
    clock.freeze()
    put(client, auth, "GG-30015", order_body())
    event(client, auth, "GG-30015", "b", "delivered", "2026-01-14T12:00:00Z")
    late_arrival = clock.advance(minutes=5)
    event(client, auth, "GG-30015", "a", "in_transit", "2026-01-12T12:00:00Z")
    stored = db.orders.find_one({"orderNumber": "GG-30015"})
    assert stored["status"] == "delivered"
    assert [e["eventId"] for e in stored["timeline"]] == ["b", "a"]
    assert stored["updatedAt"] == late_arrival


def test_a_resent_event_answers_that_event_among_others(client, auth):
    put(client, auth, "GG-30016", order_body())
    event(client, auth, "GG-30016", "first", "in_transit", "2026-01-12T09:30:00Z", "Departed")
    second = event(client, auth, "GG-30016", "second", "out_for_delivery",
                   "2026-01-13T08:00:00Z", "Out for delivery").get_json()
    again = event(client, auth, "GG-30016", "second", "out_for_delivery",
                  "2026-01-13T08:00:00Z", "Out for delivery")
    assert again.status_code == 200
    assert again.get_json() == second


def test_an_order_carries_the_last_100_timeline_events_and_keeps_every_one(client, auth, db):
    put(client, auth, "GG-30099", order_body())
    for n in range(105):
        hour, minute = divmod(n, 60)
        answer = event(client, auth, "GG-30099", f"evt-{n:03d}", "in_transit",
                       f"2026-01-{10 + hour:02d}T08:{minute:02d}:00Z", f"Scan {n}")
        assert answer.status_code == 201
    timeline = db.orders.find_one({"orderNumber": "GG-30099"})["timeline"]
    assert [entry["eventId"] for entry in timeline] == [f"evt-{n:03d}" for n in range(5, 105)]
    assert db.orderEvents.count_documents({"orderNumber": "GG-30099"}) == 105


def test_a_shopify_order_named_hash_1001_is_stored_and_tracked_as_typed(client, auth):
    created = put(client, auth, "%231001", order_body())  # "#1001", URL-encoded
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["orderNumber"] == "#1001"
    for typed in ("#1001", "1001"):
        found = lookup(client, typed)
        assert found.status_code == 200, typed
        assert found.get_json()["orderNumber"] == "#1001"
