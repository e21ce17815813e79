"""POST /returns: eligibility, quantities, validation, records."""

import re
from datetime import timedelta

import pytest
from pymongo.errors import PyMongoError

from concierge import flags
from concierge.clock import now

URL = "/api/concierge/returns"
ORDER = {"orderNumber": "GG-10457", "email": "jordan.lee@example.com"}

REFUND = {"resolution": "refund", "exchangeSku": None, "creditAmount": None}


def body(*items, **extra):
    lines = [{"sku": sku, "quantity": qty, "reason": "too_small"} for sku, qty in items]
    return {**ORDER, "items": lines, **extra}


def post(client, payload, key="return-key-0001", **headers):
    return client.post(URL, json=payload, headers={"Idempotency-Key": key, **headers})


def test_return_is_created_with_its_document_and_event(client, db, session_headers,
                                                       session_id):
    payload = body(("AUR-TP-0001", 1), ("AUR-DR-0003", 1), comment="  Runs small. ")
    response = post(client, payload, **session_headers, **{"X-Request-ID": "req-rma-00001"})
    assert response.status_code == 201
    rma = response.get_json()
    assert re.fullmatch(r"RMA-[A-Z2-7]{16}", rma["rmaNumber"])
    assert (rma["orderNumber"], rma["status"], rma["comment"]) == (
        "GG-10457", "requested", "Runs small.")
    assert rma["items"] == [
        {"sku": "AUR-TP-0001", "quantity": 1, "reason": "too_small", **REFUND},
        {"sku": "AUR-DR-0003", "quantity": 1, "reason": "too_small", **REFUND}]
    assert rma["createdAt"].endswith("Z")
    stored = db.returns.find_one({"rmaNumber": rma["rmaNumber"]})
    assert stored["orderNumber"] == "GG-10457"
    assert stored["items"] == rma["items"]
    assert stored["createdAt"] <= now()
    assert db.orders.find_one({"orderNumber": "GG-10457"})["returnedQuantities"] == {
        "AUR-TP-0001": 1, "AUR-DR-0003": 1}
    event = db.analyticsEvents.find_one({"requestId": "req-rma-00001"})
    assert (event["name"], event["sessionId"]) == ("aurora_return_created", session_id)
    assert event["props"]["rmaNumber"] == rma["rmaNumber"]


def test_rma_numbers_differ_for_every_return(client):
    first = post(client, body(("AUR-TP-0001", 1)), key="return-key-a001").get_json()
    second = post(client, body(("AUR-TP-0001", 1)), key="return-key-a002").get_json()
    assert first["rmaNumber"] != second["rmaNumber"]


def test_digital_gift_card_cannot_be_returned(client, db):
    payload = {"orderNumber": "GG-12001", "email": "sam.rivera@example.com",
               "items": [{"sku": "AUR-GC-0100", "quantity": 1, "reason": "changed_mind"}]}
    response = post(client, payload)
    assert response.status_code == 422
    assert response.get_json()["code"] == "return_not_eligible"
    assert "digital" in response.get_json()["detail"]
    assert db.returns.count_documents({}) == 0


@pytest.mark.parametrize("factors", [
    {"orderNumber": "GG-99999", "email": "jordan.lee@example.com"},
    {"orderNumber": "GG-10457", "email": "avery.stone@example.com"},
    {"orderNumber": "GG-10457", "postalCode": "10001"},
])
def test_unknown_order_or_wrong_factor_answers_404(client, db, factors):
    response = post(client, {"items": [line()], **factors})
    assert response.status_code == 404
    assert response.get_json()["code"] == "order_not_found"
    assert db.returns.count_documents({}) == 0


@pytest.mark.parametrize(("number", "email"), [
    ("GG-10212", "casey.morgan@example.com"),  # delivered 45 days ago
    ("GG-11982", "avery.stone@example.com"),  # shipped, not delivered
    ("GG-12040", "riley.park@example.com"),  # processing
])
def test_orders_outside_the_window_or_not_delivered_are_not_eligible(client, db, number,
                                                                      email):
    sku = db.orders.find_one({"orderNumber": number})["items"][0]["sku"]
    payload = {"orderNumber": number, "email": email,
               "items": [{"sku": sku, "quantity": 1, "reason": "other"}]}
    response = post(client, payload)
    assert response.status_code == 422
    assert response.get_json()["code"] == "return_not_eligible"
    assert db.returns.count_documents({}) == 0
    assert db.orders.find_one({"orderNumber": number})["returnedQuantities"] == {}


def test_window_is_counted_from_delivery(client, db):
    delivered = now() - timedelta(days=30, minutes=-1)
    db.orders.update_one({"orderNumber": "GG-10457"}, {"$set": {"deliveredAt": delivered}})
    assert post(client, body(("AUR-TP-0001", 1)), key="return-key-w001").status_code == 201
    db.orders.update_one({"orderNumber": "GG-10457"},
                         {"$set": {"deliveredAt": delivered - timedelta(minutes=2)}})
    late = post(client, body(("AUR-TP-0001", 1)), key="return-key-w002")
    assert late.get_json()["code"] == "return_not_eligible"


class TestConfiguredWindow:
    @pytest.fixture
    def config(self):
        return {"TESTING": True, "MONGO_URI": "", "RATELIMIT_ENABLED": False,
                "LOG_LEVEL": "WARNING", "RETURN_WINDOW_DAYS": 3}

    def test_a_shorter_window_closes_a_five_day_old_delivery(self, client):
        response = post(client, body(("AUR-TP-0001", 1)))
        assert response.status_code == 422
        assert response.get_json()["code"] == "return_not_eligible"


def test_quantities_are_consumed_across_returns(client, db):
    assert post(client, body(("AUR-TP-0001", 1)), key="return-key-q001").status_code == 201
    assert post(client, body(("AUR-TP-0001", 1)), key="return-key-q002").status_code == 201
    third = post(client, body(("AUR-TP-0001", 1)), key="return-key-q003")
    assert third.status_code == 422
    problem = third.get_json()
    assert problem["code"] == "return_quantity_exceeded"
    assert problem["items"] == [{"sku": "AUR-TP-0001", "requested": 1, "returnable": 0}]
    assert db.returns.count_documents({"orderNumber": "GG-10457"}) == 2
    assert db.orders.find_one({"orderNumber": "GG-10457"})["returnedQuantities"] == {
        "AUR-TP-0001": 2}


@pytest.mark.parametrize(("items", "problems"), [
    ([("AUR-TP-0001", 3)], [{"sku": "AUR-TP-0001", "requested": 3, "returnable": 2}]),
    ([("AUR-DR-0003", 2)], [{"sku": "AUR-DR-0003", "requested": 2, "returnable": 1}]),
    ([("AUR-OW-0001", 1)], [{"sku": "AUR-OW-0001", "requested": 1, "returnable": 0}]),
    ([("AUR-TP-0001", 2), ("AUR-TP-0001", 1)],
     [{"sku": "AUR-TP-0001", "requested": 3, "returnable": 2}]),
    ([("AUR-TR-0001", 1), ("AUR-NO-0001", 1)],
     [{"sku": "AUR-NO-0001", "requested": 1, "returnable": 0}]),
])
def test_more_than_purchased_or_a_sku_not_on_the_order_is_refused(client, db, items,
                                                                  problems):
    response = post(client, body(*items))
    assert response.status_code == 422
    assert response.get_json()["code"] == "return_quantity_exceeded"
    assert response.get_json()["items"] == problems
    assert db.orders.find_one({"orderNumber": "GG-10457"})["returnedQuantities"] == {}
    assert db.returns.count_documents({}) == 0


def test_lines_of_one_sku_are_merged(client, db):
    response = post(client, body(("AUR-TP-0001", 1), ("aur-tp-0001", 1)))
    assert response.status_code == 201
    assert response.get_json()["items"] == [
        {"sku": "AUR-TP-0001", "quantity": 2, "reason": "too_small", **REFUND}]
    assert db.orders.find_one({"orderNumber": "GG-10457"})["returnedQuantities"] == {
        "AUR-TP-0001": 2}


def test_the_order_can_be_named_by_postal_code_with_spaces(client):
    payload = {"orderNumber": "gg-10457 ", "postalCode": " 94 110",
               "items": [{"sku": "AUR-TR-0001", "quantity": 1, "reason": "damaged"}]}
    response = post(client, payload)
    assert response.status_code == 201
    assert response.get_json()["orderNumber"] == "GG-10457"


def line(**overrides):
    return {"sku": "AUR-TP-0001", "quantity": 1, "reason": "too_small", **overrides}


@pytest.mark.parametrize(("payload", "field"), [
    ({**ORDER}, "items"),
    ({**ORDER, "items": []}, "items"),
    ({**ORDER, "items": [line()] * 21}, "items"),
    ({**ORDER, "items": "AUR-TP-0001"}, "items"),
    ({**ORDER, "items": [line(quantity=0)]}, "items.0.quantity"),
    ({**ORDER, "items": [line(quantity=100)]}, "items.0.quantity"),
    ({**ORDER, "items": [line(quantity="1")]}, "items.0.quantity"),
    ({**ORDER, "items": [line(quantity=1.0)]}, "items.0.quantity"),
    ({**ORDER, "items": [line(quantity=True)]}, "items.0.quantity"),
    ({**ORDER, "items": [line(reason="ugly")]}, "items.0.reason"),
    ({**ORDER, "items": [line(sku={"$ne": None})]}, "items.0.sku"),
    ({**ORDER, "items": [line(sku="AUR.TP$0001")]}, "items.0.sku"),
    ({**ORDER, "items": [line(colour="red")]}, "items.0.colour"),
    ({**ORDER, "items": [line(), line(reason="damaged")]}, "items.1.reason"),
    ({**ORDER, "items": [line()], "comment": "x" * 1001}, "comment"),
    ({**ORDER, "items": [line()], "refund": 100}, "refund"),
    ({"orderNumber": "GG-10457", "items": [line()]}, "email"),
    ({**ORDER, "email": {"$ne": None}, "items": [line()]}, "email"),
])
def test_bad_bodies_answer_422_per_field(client, db, payload, field):
    response = post(client, payload)
    assert response.status_code == 422
    problem = response.get_json()
    assert problem["code"] == "validation_error"
    assert field in problem["errors"], problem["errors"]
    assert db.returns.count_documents({}) == 0


def test_returns_are_off_outside_the_feature_flag(client, db):
    flags.set_flag(db, False, 0)
    response = post(client, body(("AUR-TP-0001", 1)))
    assert response.get_json()["code"] == "concierge_disabled"
    assert db.returns.count_documents({}) == 0


class TestWriteLimit:
    @pytest.fixture
    def config(self):
        return {"TESTING": True, "MONGO_URI": "", "RATELIMIT_ENABLED": True,
                "LOG_LEVEL": "WARNING", "WRITE_LIMIT_PER_CLIENT": "2/minute"}

    def test_writes_past_the_per_client_limit_answer_429(self, client):
        statuses = [post(client, body(("AUR-TP-0001", 1)), key=f"return-key-l00{n}").status_code
                    for n in range(3)]
        assert statuses == [201, 201, 429]


def test_a_failed_insert_leaves_the_quantities_as_they_were(client, db, monkeypatch):
    from pymongo.errors import DuplicateKeyError

    from concierge.returns import repository

    def clash(doc, session=None):
        raise DuplicateKeyError("E11000 duplicate key error index: rma_unique")

    before = db.orders.find_one({"orderNumber": "GG-10457"})["returnedQuantities"]
    monkeypatch.setattr(repository, "insert", clash)
    response = post(client, body(("AUR-TP-0001", 2)))
    assert response.status_code == 500
    assert response.get_json()["code"] == "internal_error"
    assert db.orders.find_one({"orderNumber": "GG-10457"})["returnedQuantities"] == before
    monkeypatch.undo()
    assert post(client, body(("AUR-TP-0001", 2))).status_code == 201


# --- lost races (races fixture), exact instants (clock fixture), stored-data defaults -------

def _lose_reservations(races, times, give_back=None):
    """Another return takes the order's room just before each of ours, then gives it back."""
    taken = []

    def take(db, args, kwargs):
        db.orders.update_one({"orderNumber": "GG-10457"},
                             {"$inc": {"returnedQuantities.AUR-TP-0001": 2}})
        taken.append(2)

    def undo(db, args, kwargs):  # its RMA could not be stored, so it gives the room back
        db.orders.update_one({"orderNumber": "GG-10457"},
                             {"$inc": {"returnedQuantities.AUR-TP-0001": -taken.pop()}})

    races.before("orders", "update_one", take, times=times,
                 when=lambda args, kwargs: all(q > 0 for q in args[1]["$inc"].values()))
    races.before("orders", "find_one", undo, times=times if give_back is None else give_back,
                 when=lambda args, kwargs: bool(taken))


def test_a_return_that_loses_two_reservation_races_goes_through_on_the_third(client, db,
                                                                              races):
    _lose_reservations(races, times=2)
    response = post(client, body(("AUR-TP-0001", 1)))
    assert response.status_code == 201
    assert db.orders.find_one({"orderNumber": "GG-10457"})["returnedQuantities"] == {
        "AUR-TP-0001": 1}
    assert db.returns.count_documents({}) == 1


def test_three_lost_reservation_races_answer_422_and_store_nothing(client, db, races):
    _lose_reservations(races, times=3)
    response = post(client, body(("AUR-TP-0001", 1)))
    assert response.status_code == 422
    problem = response.get_json()
    assert problem["code"] == "return_quantity_exceeded"
    assert problem["detail"] == "Another return for this order is being created; retry."
    assert db.returns.count_documents({}) == 0
    returned = db.orders.find_one({"orderNumber": "GG-10457"})["returnedQuantities"]
    assert returned.get("AUR-TP-0001", 0) == 0


def test_room_taken_for_good_during_the_races_is_reported_per_line(client, db, races):
    _lose_reservations(races, times=3, give_back=2)
    response = post(client, body(("AUR-TP-0001", 1)))
    assert response.status_code == 422
    assert response.get_json()["items"] == [
        {"sku": "AUR-TP-0001", "requested": 1, "returnable": 0}]
    assert db.returns.count_documents({}) == 0


def _rma_clashes(races, times):
    """Another return is stored under the very RMA number ours just drew."""
    def clash(db, args, kwargs):
        db.returns.insert_one({"rmaNumber": args[0]["rmaNumber"], "orderNumber": "GG-00000"})

    races.before("returns", "insert_one", clash, times=times)


@pytest.mark.parametrize("clashes", [1, 2])
def test_an_rma_number_clash_draws_a_fresh_number(client, db, races, clashes):
    _rma_clashes(races, clashes)
    response = post(client, body(("AUR-TP-0001", 1)))
    assert response.status_code == 201
    rma = response.get_json()["rmaNumber"]
    assert db.returns.count_documents({"orderNumber": "GG-10457"}) == 1
    assert db.returns.count_documents({"rmaNumber": rma}) == 1
    assert db.returns.count_documents({}) == clashes + 1


def test_three_rma_clashes_are_a_500_that_leaves_the_quantities_as_they_were(client, db,
                                                                            races):
    before = db.orders.find_one({"orderNumber": "GG-10457"})["returnedQuantities"]
    _rma_clashes(races, 3)
    response = post(client, body(("AUR-TP-0001", 2)))
    assert response.status_code == 500
    assert db.returns.count_documents({"orderNumber": "GG-10457"}) == 0
    assert db.orders.find_one({"orderNumber": "GG-10457"})["returnedQuantities"] == before


@pytest.mark.parametrize("change", [
    {"$set": {"status": "shipped"}},  # deliveredAt left from an earlier state
    {"$unset": {"deliveredAt": ""}},  # delivered, but the date is missing
])
def test_only_a_delivered_order_with_a_delivery_date_is_eligible(client, db, change):
    db.orders.update_one({"orderNumber": "GG-10457"}, change)
    response = post(client, body(("AUR-TP-0001", 1)))
    assert response.status_code == 422
    assert response.get_json()["code"] == "return_not_eligible"
    assert db.returns.count_documents({}) == 0


def test_items_without_a_returnable_flag_are_returnable(client, db):
    order = db.orders.find_one({"orderNumber": "GG-10457"})
    items = [{k: v for k, v in item.items() if k != "returnable"} for item in order["items"]]
    db.orders.update_one({"orderNumber": "GG-10457"}, {"$set": {"items": items}})
    response = post(client, body(("AUR-TP-0001", 2)))
    assert response.status_code == 201
    assert db.orders.find_one({"orderNumber": "GG-10457"})["returnedQuantities"] == {
        "AUR-TP-0001": 2}


@pytest.mark.parametrize(("age", "status"), [
    (timedelta(days=30) - timedelta(milliseconds=1), 201),
    (timedelta(days=30), 422),
])
def test_the_window_closes_exactly_its_days_after_delivery(client, db, clock, age, status):
    at = clock.freeze()
    db.orders.update_one({"orderNumber": "GG-10457"}, {"$set": {"deliveredAt": at - age}})
    response = post(client, body(("AUR-TP-0001", 1)))
    assert response.status_code == status
    assert db.returns.count_documents({}) == (status == 201)
    if status == 422:
        assert response.get_json()["code"] == "return_not_eligible"


def test_a_non_returnable_line_of_a_mixed_order_has_nothing_to_return(client, db):
    order = db.orders.find_one({"orderNumber": "GG-10457"})
    items = [{**item, "returnable": item["sku"] != "AUR-TR-0001"} for item in order["items"]]
    db.orders.update_one({"orderNumber": "GG-10457"}, {"$set": {"items": items}})
    response = post(client, body(("AUR-TR-0001", 1)))
    assert response.status_code == 422
    assert response.get_json()["items"] == [
        {"sku": "AUR-TR-0001", "requested": 1, "returnable": 0}]


def test_two_lines_of_one_sku_on_an_order_add_up(client, db):
    # An order can list one product twice (bought in two goes): both lines are returnable.
    order = db.orders.find_one({"orderNumber": "GG-10457"})
    line = next(item for item in order["items"] if item["sku"] == "AUR-DR-0003")
    db.orders.update_one({"orderNumber": "GG-10457"}, {"$push": {"items": dict(line)}})
    assert post(client, body(("AUR-DR-0003", 2))).status_code == 201
    refused = post(client, body(("AUR-DR-0003", 1)), key="return-key-0002")
    assert refused.status_code == 422
    assert refused.get_json()["code"] == "return_quantity_exceeded"


def test_a_refused_return_names_each_sku_over_its_quantity(client):
    response = post(client, body(("AUR-TP-0001", 3), ("AUR-NO-0001", 1)))
    assert response.get_json()["detail"] == (
        "More than is left to return (or not on the order): AUR-TP-0001, AUR-NO-0001.")


def test_a_return_is_stored_with_who_asked_and_announced(client, db, session_headers,
                                                         session_id):
    response = post(client, body(("AUR-TP-0001", 1)), **session_headers,
                    **{"X-Request-ID": "req-rma-00002", "Accept-Language": "es-MX"})
    rma = response.get_json()
    stored = db.returns.find_one({"rmaNumber": rma["rmaNumber"]})
    order = db.orders.find_one({"orderNumber": "GG-10457"})
    assert (stored["email"], stored["sessionId"], stored["requestId"], stored["locale"]) == (
        order["email"], session_id, "req-rma-00002", "es")
    webhook = db.outbox.find_one({"type": "return.requested", "channel": "webhook"})
    assert webhook["data"] == {"rmaNumber": rma["rmaNumber"], "orderNumber": "GG-10457",
                               "items": rma["items"], "createdAt": rma["createdAt"]}
    email = db.outbox.find_one({"type": "return.requested", "channel": "email"})
    assert email["email"] == {"to": order["email"], "context": {
        "names": {i["sku"]: i["name"] for i in order["items"]}, "locale": "es"}}


@pytest.mark.parametrize(("factors", "detail"), [
    ({"orderNumber": "GG-11982", "postalCode": "10001"},
     "Order GG-11982 is shipped; only delivered orders can be returned."),
    ({"orderNumber": "GG-12001", "email": "sam.rivera@example.com"},
     "Order GG-12001 holds only digital goods, which cannot be returned."),
    ({"orderNumber": "GG-10212", "postalCode": "60614"},
     "Order GG-10212 was delivered more than 30 days ago; its return window has closed."),
])
def test_a_refused_order_is_told_why_in_words(client, db, factors, detail):
    order = db.orders.find_one({"orderNumber": factors["orderNumber"]})
    items = [{"sku": order["items"][0]["sku"], "quantity": 1, "reason": "changed_mind"}]
    response = client.post(URL, json={**factors, "items": items},
                           headers={"Idempotency-Key": "return-key-why1"})
    assert response.get_json()["detail"] == detail


# --- a failure at each step leaves no half of a return (issue 30: writes across documents) --

class StepFailed(PyMongoError):
    """The database failing one step of a return."""


def _fail(*_):
    raise StepFailed("the step failed")


@pytest.mark.parametrize(("collection", "method"), [
    ("orders", "update_one"),  # taking the quantities
    ("returns", "insert_one"),  # storing the RMA
    ("outbox", "insert_many"),  # announcing it, after both
])
def test_a_failure_at_any_step_leaves_no_half_return(client, db, races, collection, method):
    before = db.orders.find_one({"orderNumber": "GG-10457"})["returnedQuantities"]
    races.before(collection, method, _fail, times=10)
    response = post(client, body(("AUR-TP-0001", 2)))
    assert response.status_code == 500
    after = db.orders.find_one({"orderNumber": "GG-10457"})["returnedQuantities"]
    stored = db.returns.count_documents({"orderNumber": "GG-10457"})
    # Either the whole return is there (the announcement failed after it) or none of it.
    assert (after, stored) in ((before, 0), ({**before, "AUR-TP-0001": 2}, 1))
    races.close()
    retry = post(client, body(("AUR-TP-0001", 2)))  # the same key: answered, never doubled
    assert retry.status_code in (200, 201)
    assert db.returns.count_documents({"orderNumber": "GG-10457"}) == 1


def test_without_transactions_a_failed_rma_insert_gives_the_quantities_back(mongodb_app,
                                                                           mongodb,
                                                                           monkeypatch):
    from concierge.returns import repository
    from concierge.seeding import seed

    seed(mongodb)
    monkeypatch.setattr(repository, "insert", _fail)
    client = mongodb_app.test_client()
    response = post(client, body(("AUR-TP-0001", 2)))
    assert response.status_code == 500, response.get_json()
    returned = mongodb.orders.find_one({"orderNumber": "GG-10457"})["returnedQuantities"]
    assert returned.get("AUR-TP-0001", 0) == 0


def test_without_transactions_a_failed_announcement_removes_the_return_and_its_quantities(
        mongodb_app, mongodb, monkeypatch):
    from concierge.outbox import repository as outbox
    from concierge.seeding import seed

    seed(mongodb)
    monkeypatch.setattr(outbox, "insert", _fail)
    response = post(mongodb_app.test_client(), body(("AUR-TP-0001", 2)))
    assert response.status_code == 500
    assert mongodb.returns.count_documents({}) == 0
    returned = mongodb.orders.find_one({"orderNumber": "GG-10457"})["returnedQuantities"]
    assert returned.get("AUR-TP-0001", 0) == 0
