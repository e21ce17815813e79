"""Poison addresses: refused at the door, and one stored before never stalls the others."""

from __future__ import annotations

import pytest

from concierge import outbox
from concierge.events import now
from concierge.outbox import worker

from .servers import MailServer

API = "/api/concierge"
# Each raised while composing (IndexError, ValueError, UnicodeEncodeError) before the fix.
POISON = ["=?utf-8?b??=@example.com", "=?utf-8?q?=ff?=@example.com",
          '"=?utf-8?b?w6k=?="@example.com']
# The header parser decodes it into three recipients after a looser check passed it.
SPLITTING = "=?utf-8?q?victim=40evil.test=2C_second=40other.test=2C?=x@example.com"
TICKET = {"name": "Avery", "topic": "fit", "message": "Which size for the linen dress?"}
HOLD = {"capsuleId": "capsule-weekend-edit"}
ORDER = {"orderNumber": "GG-11982", "postalCode": "10001", "channel": "email"}


@pytest.fixture
def config(config):
    return {**config, "OUTBOX_WORKER": False}


@pytest.mark.parametrize("address", [*POISON, SPLITTING, "a@[127.0.0.1]", '"a b"@example.com',
                                     "a@localhost", "a..b@example.com"])
@pytest.mark.parametrize(("path", "body", "field"), [
    ("/stylist-tickets", TICKET, "email"),
    ("/capsule-holds", HOLD, "email"),
    ("/order-subscriptions", ORDER, "destination"),
])
def test_every_schema_taking_an_email_refuses_a_poison_address(client, path, body, field,
                                                               address):
    response = client.post(f"{API}{path}", json={**body, field: address})
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["errors"]


@pytest.mark.parametrize(("given", "stored"), [
    ("  Avery.Stone+Linen@Example.COM ", "avery.stone+linen@example.com"),
    ("avery@bücher.example", "avery@xn--bcher-kva.example"),
    ("Jörg@Example.com", "jörg@example.com"),
    ("a=?b@shop.test", "a=?b@shop.test"),  # "=?" alone is no encoded word; .test is RFC 2606's
])
def test_a_good_address_is_stored_as_it_will_be_sent(client, db, given, stored):
    assert client.post(f"{API}/stylist-tickets", json={**TICKET, "email": given}).status_code \
        == 201
    assert db.stylistTickets.find_one({})["email"] == stored


def queue_email(app, db, to: str) -> str:
    with app.app_context():
        return outbox.enqueue(db, "stylist_ticket.created",
                              {"ticketNumber": "ST-2222222222", "topic": "fit",
                               "preferredContact": "email"},
                              email_to=to, email_context={"locale": "en"})


def test_poison_addresses_stored_before_fail_for_good_and_the_good_mail_goes_out_in_one_pass(
        app, db, mail):
    for address in [*POISON, SPLITTING]:
        queue_email(app, db, address)
    queue_email(app, db, "avery@example.com")
    with app.app_context():
        counts = worker.deliver_due(app.config["CONCIERGE"], db, ["email"])
    assert counts == {"delivered": 1, "retrying": 0, "failed": len(POISON) + 1, "skipped": 0}
    failed = list(db.outbox.find({"channel": "email", "status": "failed"}))
    assert all("mail can be sent to" in doc["lastError"] for doc in failed)
    assert [envelope.rcpt_tos for envelope in mail.envelopes] == [["avery@example.com"]]


def test_a_decoded_to_header_never_adds_a_recipient(app, db, mail):
    queue_email(app, db, SPLITTING)
    with app.app_context():
        worker.deliver_due(app.config["CONCIERGE"], db, ["email"])
    rcpts = [address for envelope in mail.envelopes for address in envelope.rcpt_tos]
    assert not {"victim@evil.test", "second@other.test"} & set(rcpts)
    assert rcpts == []


def test_the_envelope_names_exactly_the_stored_address(app, db, mail):
    queue_email(app, db, "avery+linen@example.com")
    with app.app_context():
        assert worker.deliver_due(app.config["CONCIERGE"], db, ["email"])["delivered"] == 1
    (envelope,) = mail.envelopes
    assert envelope.rcpt_tos == ["avery+linen@example.com"]
    assert mail.messages[0]["To"] == "avery+linen@example.com"


def test_an_unexpected_error_in_one_send_fails_that_message_and_the_pass_goes_on(
        app, db, hook):
    from concierge.outbox import repository
    from concierge.outbox.service import _delivery

    at = now()
    # A payload the JSON encoder cannot write (a datetime stored as it is): a TypeError.
    repository.insert(db, [_delivery("msg_broken", "msg_broken", "webhook", "csat.low_rating",
                                     {"at": at}, at),
                           _delivery("msg_fine", "msg_fine", "webhook", "csat.low_rating",
                                     {"csatId": "c1"}, at)])
    with app.app_context():
        counts = worker.deliver_due(app.config["CONCIERGE"], db, ["webhook"])
    assert (counts["delivered"], counts["retrying"]) == (1, 1)
    broken = db.outbox.find_one({"_id": "msg_broken"})
    assert broken["status"] == "pending"
    assert "TypeError" in broken["lastError"]
    assert [h["webhook-id"] for h, _ in hook.received] == ["msg_fine"]


@pytest.mark.parametrize(("smtputf8", "delivered"), [(True, 2), (False, 1)])
def test_an_internationalised_address_goes_out_only_through_a_server_offering_smtputf8(
        app, db, smtputf8, delivered):
    server = MailServer(enable_SMTPUTF8=smtputf8).up()
    try:
        settings = app.config["CONCIERGE"].with_overrides({"CONCIERGE_SMTP_URL": server.url})
        queue_email(app, db, "jörg@example.com")
        queue_email(app, db, "avery@example.com")
        with app.app_context():
            counts = worker.deliver_due(settings, db, ["email"])
    finally:
        server.down()
    assert (counts["delivered"], counts["failed"]) == (delivered, 2 - delivered)
    rcpts = [envelope.rcpt_tos for envelope in server.envelopes]
    assert (["jörg@example.com"] in rcpts) == smtputf8
    assert ["avery@example.com"] in rcpts
