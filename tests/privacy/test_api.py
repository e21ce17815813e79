"""GET /admin/privacy/export and POST /admin/privacy/erase (API.md 25)."""

from __future__ import annotations

import json

import pytest
from pymongo.errors import PyMongoError

from concierge.privacy.registry import HOLDINGS, NO_SHOPPER_DATA

API = "/api/concierge/admin/privacy"


def test_export_finds_every_journey_of_the_shopper(client, admin, jordan, casey):
    answer = client.get(f"{API}/export", query_string={"email": " Jordan.LEE@example.com"},
                        headers=admin)
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["email"] == "jordan.lee@example.com"
    assert body["generatedAt"].endswith("Z")
    found = body["collections"]
    assert set(found) == {holding.collection for holding in HOLDINGS}
    counts = {name: len(docs) for name, docs in found.items()}
    assert counts == {  # her order, and the demo's seeded GG-10457 of hers
        "orders": 2, "returns": 1, "capsuleHolds": 1, "stylistTickets": 1, "conversations": 1,
        "orderSubscriptions": 2, "orderEvents": 2, "platformLinks": 0, "widgetShortlists": 1,
        "widgetInspiration": 1, "inspirationImages.files": 1, "inspirationImages.chunks": 1,
        "csatResponses": 1, "idempotencyKeys": 1, "analyticsEvents": counts["analyticsEvents"],
        "outbox": counts["outbox"], "stockAlerts": 1}
    assert counts["analyticsEvents"] >= 9  # her widget's event and each journey's
    text = json.dumps(found)
    for value in jordan.made.values():
        assert value in text
    # Emails to her (return, hold, ticket, order update) and webhooks about her records.
    types = {(doc["type"], doc["channel"]) for doc in found["outbox"]}
    assert {("return.requested", "email"), ("capsule_hold.created", "email"),
            ("stylist_ticket.created", "email"), ("stylist_ticket.created", "webhook"),
            ("order.updated", "email"), ("order.updated", "webhook"),
            ("csat.low_rating", "webhook"), ("inspiration.submitted", "webhook")} <= types
    # Nothing of the other shopper's.
    for value in casey.secrets():
        assert value not in text


def test_erase_leaves_nothing_of_her_and_everything_of_the_other(client, db, admin, jordan,
                                                                   casey):
    before = _everything(db)
    answer = client.post(f"{API}/erase", json={"email": "JORDAN.lee@example.com "},
                         headers=admin)
    assert answer.status_code == 200
    erased = answer.get_json()["erased"]
    assert answer.get_json()["email"] == "jordan.lee@example.com"
    assert erased["orders"] == 2
    assert erased["returns"] == erased["stylistTickets"] == 1
    assert erased["inspirationImages.chunks"] == erased["orderSubscriptions"] - 1 == 1
    after = _everything(db)
    # Nothing stored holds her email, name, phone, session or her records' ids.
    text = json.dumps(after, default=str)
    for value in jordan.secrets():
        assert value not in text, value
    # Every document of the other shopper's is as it was.
    for value in casey.secrets():
        assert _holding(before, value) == _holding(after, value), value
    # Her return stays for the store's accounts, without her.
    kept = db.returns.find_one({"rmaNumber": jordan.made["rma"]}, {"_id": 0})
    assert set(kept) == {"rmaNumber", "orderNumber", "status", "items", "createdAt",
                         "erasedAt"}


def test_after_erasure_her_records_answer_not_found(client, admin, jordan, casey):
    client.post(f"{API}/erase", json={"email": jordan.email}, headers=admin)
    api = "/api/concierge"
    lookup = {"orderNumber": jordan.order, "email": jordan.email}
    assert client.post(f"{api}/orders/lookup", json=lookup).status_code == 404
    assert client.post(f"{api}/orders/lookup", json={
        "orderNumber": jordan.order, "postalCode": "75011"}).status_code == 404
    assert client.get(f"{api}/capsule-holds/{jordan.made['hold']}").status_code == 404
    assert client.get(f"{api}/shortlists/{jordan.made['shortlist']}").status_code == 404
    assert client.get(f"{api}/admin/inspiration/{jordan.made['upload']}/image",
                      headers=admin).status_code == 404
    assert client.delete(
        f"{api}/order-subscriptions/{jordan.made['email_subscription']}").status_code == 404
    # The other shopper's still answer.
    assert client.post(f"{api}/orders/lookup", json={
        "orderNumber": casey.order, "email": casey.email}).status_code == 200
    assert client.get(f"{api}/admin/inspiration/{casey.made['upload']}/image",
                      headers=admin).status_code == 200
    assert client.get(f"{api}/capsule-holds/{casey.made['hold']}").status_code == 200


def test_no_email_waits_for_her_in_the_outbox(client, db, admin, jordan):
    assert db.outbox.count_documents({"email.to": jordan.email, "status": "pending"}) >= 4
    client.post(f"{API}/erase", json={"email": jordan.email}, headers=admin)
    assert db.outbox.count_documents({"email.to": jordan.email}) == 0


def test_a_second_erase_erases_nothing_and_export_finds_nothing(client, admin, jordan):
    first = client.post(f"{API}/erase", json={"email": jordan.email}, headers=admin)
    again = client.post(f"{API}/erase", json={"email": jordan.email}, headers=admin)
    assert sum(first.get_json()["erased"].values()) > 20
    assert again.status_code == 200
    assert set(again.get_json()["erased"].values()) == {0}
    export = client.get(f"{API}/export", query_string={"email": jordan.email}, headers=admin)
    assert not any(export.get_json()["collections"].values())


def test_erasure_is_audited_and_announced_with_a_hash_never_the_email(client, db, admin,
                                                                      jordan):
    import hashlib

    digest = hashlib.sha256(b"jordan.lee@example.com").hexdigest()
    erased = client.post(f"{API}/erase", json={"email": " Jordan.Lee@example.com"},
                         headers=admin).get_json()["erased"]
    entry = db.audit.find_one({"action": "privacy.erased"})
    assert entry["target"] == digest
    assert entry["details"]["counts"] == erased
    assert entry["who"]["via"] == "admin API"
    event = db.outbox.find_one({"type": "privacy.erased"})
    assert event["channel"] == "webhook"
    assert event["data"]["emailHash"] == digest
    assert event["data"]["erased"] == erased
    stored = json.dumps([entry, event], default=str).lower()
    assert "jordan" not in stored


def test_an_export_is_audited_with_the_hash(client, db, admin, jordan):
    client.get(f"{API}/export", query_string={"email": jordan.email}, headers=admin)
    entry = db.audit.find_one({"action": "privacy.exported"})
    assert "jordan" not in json.dumps(entry, default=str)
    assert entry["details"]["counts"]["orders"] == 2


def test_an_email_nobody_used_answers_zero_counts(client, admin):
    erased = client.post(f"{API}/erase", json={"email": "nobody@example.com"}, headers=admin)
    assert erased.status_code == 200
    counts = erased.get_json()["erased"]
    assert set(counts) == {holding.collection for holding in HOLDINGS}
    assert set(counts.values()) == {0}
    export = client.get(f"{API}/export", query_string={"email": "nobody@example.com"},
                        headers=admin)
    assert export.status_code == 200
    assert not any(export.get_json()["collections"].values())


@pytest.mark.parametrize(("method", "path", "kwargs", "status", "code"), [
    ("get", "/export", {"query_string": {"email": "a@example.com"}}, 401, "unauthorized"),
    ("post", "/erase", {"json": {"email": "a@example.com"}}, 401, "unauthorized"),
    ("post", "/erase", {"json": {"email": "a@example.com"},
                        "headers": {"Authorization": "Bearer wrong"}}, 401, "unauthorized"),
    ("get", "/export", {"query_string": {"email": "not-an-email"}, "admin": True}, 422,
     "validation_error"),
    ("get", "/export", {"admin": True}, 422, "validation_error"),
    ("post", "/erase", {"json": {"email": "jordan@"}, "admin": True}, 422, "validation_error"),
    ("post", "/erase", {"json": {"email": {"$ne": None}}, "admin": True}, 422,
     "validation_error"),
    ("post", "/erase", {"json": {"email": "a@example.com", "all": True}, "admin": True}, 422,
     "validation_error"),
    ("post", "/erase", {"data": "email=a@example.com", "admin": True,
                        "content_type": "application/x-www-form-urlencoded"}, 415,
     "unsupported_media_type"),
])
def test_bad_requests_are_refused(client, admin, method, path, kwargs, status, code):
    if kwargs.pop("admin", False):
        kwargs["headers"] = admin
    answer = getattr(client, method)(API + path, **kwargs)
    assert answer.status_code == status
    assert answer.get_json()["code"] == code
    assert answer.content_type == "application/problem+json"


def test_without_an_admin_token_configured_the_endpoints_are_off(app, config):
    from concierge import create_app

    off = create_app({**config, "CONCIERGE_ADMIN_TOKEN": ""}).test_client()
    answer = off.post(f"{API}/erase", json={"email": "a@example.com"},
                      headers={"Authorization": "Bearer anything"})
    assert answer.status_code == 404


def _everything(db) -> dict:
    names = set(db.list_collection_names()) | set(NO_SHOPPER_DATA)
    return {name: list(db[name].find()) for name in sorted(names)}


def _holding(dump: dict, value: str) -> list:
    return [(name, doc) for name, docs in dump.items() if name != "audit" for doc in docs
            if value in json.dumps(doc, default=str)]


class StepFailed(PyMongoError):
    """The database failing one step of an erasure."""


def _fail(*_):
    raise StepFailed("the step failed")


@pytest.mark.parametrize(("collection", "method"), [
    ("analyticsEvents", "delete_many"),  # the first step
    ("returns", "update_many"),  # keeping the return without her
    ("outbox", "insert_many"),  # announcing it, last
])
def test_a_failure_at_any_step_erases_nothing_and_a_retry_erases_all(client, db, admin, races,
                                                                     jordan, collection,
                                                                     method):
    before = _unordered(_everything(db))
    races.before(collection, method, _fail, times=10)
    failed = client.post(f"{API}/erase", json={"email": jordan.email}, headers=admin)
    assert failed.status_code == 500
    assert _unordered(_everything(db)) == before  # every document back (maybe reordered)
    races.close()
    retried = client.post(f"{API}/erase", json={"email": jordan.email}, headers=admin)
    assert retried.status_code == 200
    assert retried.get_json()["erased"]["stylistTickets"] == 1


def _unordered(dump: dict) -> dict:
    return {name: sorted(json.dumps(doc, default=str, sort_keys=True) for doc in docs)
            for name, docs in dump.items()}

