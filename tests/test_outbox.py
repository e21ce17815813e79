"""The outbox: one queued message per event."""


def test_enqueue_stores_one_pending_message_with_a_stable_id(app, db):
    from concierge import outbox

    with app.app_context():
        first = outbox.enqueue(db, "return.requested", {"rmaNumber": "RMA-1"},
                               email_to="a@example.com", email_context={"x": 1})
        second = outbox.enqueue(db, "return.requested", {"rmaNumber": "RMA-2"})
    assert first != second
    assert first.startswith("msg_")
    doc = db.outbox.find_one({"_id": first})
    assert doc["status"] == "pending"
    assert doc["attempts"] == 0
    assert doc["data"] == {"rmaNumber": "RMA-1"}
    assert doc["email"] == {"to": "a@example.com", "context": {"x": 1}}
    assert "email" not in db.outbox.find_one({"_id": second})
