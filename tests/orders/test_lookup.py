"""POST /orders/lookup: factors, normalisation, same 404, timeline."""

from datetime import timedelta

import pytest

URL = "/api/concierge/orders/lookup"


def lookup(client, **body):
    return client.post(URL, json=body)


@pytest.mark.parametrize("body", [
    {"orderNumber": "GG-11982", "email": "avery.stone@example.com"},
    {"orderNumber": "GG-11982", "postalCode": "10001"},
    {"orderNumber": " gg-11982 ", "email": "  Avery.Stone@EXAMPLE.com "},
    {"orderNumber": "gg - 119 82", "postalCode": " 100 01 "},
    {"orderNumber": "GG-11982", "email": "avery.stone@example.com", "postalCode": "10001"},
    {"orderNumber": "#GG-11982", "email": "avery.stone@example.com"},
    {"orderNumber": "GG11982", "postalCode": "10001"},
    {"orderNumber": "#gg 11982", "postalCode": "10001"},
    {"orderNumber": "g-g-1-1-9-8-2", "postalCode": "10001"},
])
def test_order_is_found_by_number_and_a_normalised_factor(client, body):
    response = lookup(client, **body)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["orderNumber"] == "GG-11982"


def test_answer_carries_the_contract_fields_and_no_personal_data(client):
    body = lookup(client, orderNumber="GG-11982", postalCode="10001").get_json()
    for field in ("orderNumber", "status", "placedAt", "estimatedDelivery", "carrier",
                  "trackingNumber", "items", "timeline"):
        assert field in body
    assert (body["status"], body["carrier"]) == ("shipped", "UPS")
    assert body["placedAt"].endswith("Z")
    assert set(body["items"][0]) == {"sku", "name", "quantity", "price", "returnable"}
    assert set(body["timeline"][0]) == {"status", "at", "description", "location"}
    assert len(body["timeline"]) >= 4
    assert "email" not in body
    assert "postalCode" not in body


def test_timeline_comes_in_time_order_whatever_the_stored_order(client, db):
    stored = db.orders.find_one({"orderNumber": "GG-11982"})["timeline"]
    db.orders.update_one({"orderNumber": "GG-11982"},
                         {"$set": {"timeline": list(reversed(stored))}})
    timeline = lookup(client, orderNumber="GG-11982", postalCode="10001").get_json()["timeline"]
    stamps = [event["at"] for event in timeline]
    assert stamps == sorted(stamps)
    assert len(set(stamps)) == len(stamps) == len(stored)


def test_digital_order_is_found_by_email_alone(client):
    response = lookup(client, orderNumber="GG-12001", email="Sam.Rivera@example.com")
    assert response.status_code == 200
    assert response.get_json()["status"] == "delivered"


def test_digital_order_has_no_postal_code_to_match(client):
    response = lookup(client, orderNumber="GG-12001", postalCode="10001")
    assert response.status_code == 404


@pytest.mark.parametrize("body", [
    {"orderNumber": "GG-99999", "email": "avery.stone@example.com"},
    {"orderNumber": "GG-11982", "email": "someone.else@example.com"},
    {"orderNumber": "GG-11982", "postalCode": "94110"},
    {"orderNumber": "GG-11982", "email": "avery.stone@example.com", "postalCode": "94110"},
    {"orderNumber": "GG-10457", "email": "avery.stone@example.com"},
])
def test_unknown_order_and_wrong_factor_give_the_same_404(client, body):
    reference = lookup(client, orderNumber="GG-00000", email="nobody@example.com")
    response = lookup(client, **body)
    assert response.status_code == reference.status_code == 404
    assert response.content_type == reference.content_type == "application/problem+json"
    got, expected = response.get_json(), reference.get_json()
    assert got.pop("requestId") != expected.pop("requestId")
    assert got == expected
    assert got["code"] == "order_not_found"


@pytest.mark.parametrize(("body", "field"), [
    ({"orderNumber": "GG-11982"}, "email"),
    ({"orderNumber": "GG-11982", "email": "", "postalCode": ""}, "email"),
    ({"email": "avery.stone@example.com"}, "orderNumber"),
    ({"orderNumber": "GG-11982", "email": {"$ne": None}}, "email"),
    ({"orderNumber": {"$gt": ""}, "email": "avery.stone@example.com"}, "orderNumber"),
    ({"orderNumber": "GG-11982", "email": "not-an-email"}, "email"),
    ({"orderNumber": "GG-11982", "postalCode": 10001}, "postalCode"),
    ({"orderNumber": "GG-11982", "email": "avery.stone@example.com", "admin": True},
     "admin"),
])
def test_bad_bodies_answer_422_per_field(client, body, field):
    response = lookup(client, **body)
    assert response.status_code == 422
    problem = response.get_json()
    assert problem["code"] == "validation_error"
    assert field in problem["errors"]


def test_lookup_records_its_event_with_session_and_request(client, db, session_headers,
                                                           session_id):
    client.post(URL, json={"orderNumber": "GG-10457", "postalCode": "94110"},
                headers={**session_headers, "X-Request-ID": "req-track-0001"})
    event = db.analyticsEvents.find_one({"requestId": "req-track-0001"})
    assert (event["name"], event["sessionId"]) == ("aurora_order_tracked", session_id)
    assert event["props"]["orderNumber"] == "GG-10457"


@pytest.mark.parametrize(("number", "factor", "eligible", "reason"), [
    ("GG-10457", "94110", True, None),
    ("GG-11982", "10001", False, "not_delivered"),
    ("GG-10212", "60614", False, "window_closed"),
])
def test_answer_says_whether_the_order_can_be_returned_as_returns_would(client, number, factor,
                                                                       eligible, reason):
    body = lookup(client, orderNumber=number, postalCode=factor).get_json()
    assert {k: body["returns"][k] for k in ("eligible", "reason")} == {
        "eligible": eligible, "reason": reason}
    refused = client.post("/api/concierge/returns", headers={"Idempotency-Key": f"k-{number}"},
                          json={"orderNumber": number, "postalCode": factor,
                                "items": [{"sku": body["items"][0]["sku"], "quantity": 1,
                                           "reason": "changed_mind"}]})
    assert (refused.status_code == 422) is not eligible


def test_digital_only_order_is_not_returnable(client):
    body = lookup(client, orderNumber="GG-12001", email="sam.rivera@example.com").get_json()
    assert body["returns"]["eligible"] is False
    assert body["returns"]["reason"] == "not_returnable"


@pytest.mark.parametrize(("number", "factor", "link"), [
    ("GG-11982", "10001", "https://www.ups.com/track?tracknum=1Z999AA10123456784"),
    ("GG-12040", "riley.park@example.com", None),
])
def test_answer_links_the_tracking_number_to_the_carrier(client, number, factor, link):
    key = "email" if "@" in factor else "postalCode"
    body = lookup(client, orderNumber=number, **{key: factor}).get_json()
    assert body["trackingUrl"] == link


def test_an_unknown_order_is_answered_in_words(client):
    problem = lookup(client, orderNumber="GG-99999", email="avery.stone@example.com").get_json()
    assert problem["detail"] == "No order matches this order number and email or postal code."


@pytest.mark.parametrize(("number", "factor"), [("GG-10457", "94110"), ("GG-10212", "60614")])
def test_a_delivered_order_says_until_when_it_can_be_returned(client, db, number, factor):
    body = lookup(client, orderNumber=number, postalCode=factor).get_json()
    delivered = db.orders.find_one({"orderNumber": number})["deliveredAt"]
    until = delivered + timedelta(days=30)
    assert body["returns"]["until"] == until.isoformat(timespec="milliseconds").replace(
        "+00:00", "Z")


def test_an_order_not_yet_delivered_has_no_return_deadline(client):
    body = lookup(client, orderNumber="GG-11982", postalCode="10001").get_json()
    assert body["returns"]["until"] is None


def test_a_shopify_order_named_with_a_hash_is_found_however_it_is_typed(client, db):
    from concierge.merchant.service import order_number
    from concierge.text import order_key

    number = order_number("#1001")
    db.orders.insert_one({"_id": number, "orderNumber": number, "orderKey": order_key(number),
                          "email": "sam@example.com", "postalCode": "94107",
                          "status": "processing", "items": [], "timeline": []})
    for typed in ("#1001", "1001", " # 1001 "):
        response = lookup(client, orderNumber=typed, email="sam@example.com")
        assert response.status_code == 200, typed
        assert response.get_json()["orderNumber"] == "#1001"


def test_orders_stored_before_order_keys_are_found_after_the_backfill(client, db):
    from concierge.orders.repository import backfill_keys

    db.orders.update_many({}, {"$unset": {"orderKey": ""}})
    assert lookup(client, orderNumber="GG-11982", postalCode="10001").status_code == 200
    assert backfill_keys(db) == db.orders.count_documents({})
    assert lookup(client, orderNumber="#gg11982", postalCode="10001").status_code == 200


def test_each_line_says_how_many_can_still_be_returned(client):
    order = {"orderNumber": "GG-10457", "email": "jordan.lee@example.com"}
    before = client.post("/api/concierge/orders/lookup", json=order).get_json()["items"]
    assert all(item["returnable"] == item["quantity"] for item in before)
    sku = before[0]["sku"]
    assert client.post("/api/concierge/returns", headers={"Idempotency-Key": "lookup-left-1"},
                       json={**order, "items": [{"sku": sku, "quantity": 1,
                                                 "reason": "other"}]}).status_code == 201
    after = client.post("/api/concierge/orders/lookup", json=order).get_json()["items"]
    assert after[0]["returnable"] == before[0]["quantity"] - 1
    assert [i["returnable"] for i in after[1:]] == [i["quantity"] for i in before[1:]]
