"""The console says what is not set up, and asks before turning the concierge off."""

from __future__ import annotations

import base64

import pytest

from concierge import flags

WAITING = {"type": "capsule_hold.created", "data": {}, "attempts": 0}


def queue(db, channel: str, count: int, status: str = "pending") -> None:
    for n in range(count):
        db.outbox.insert_one({**WAITING, "_id": f"msg_{channel}_{status}_{n}",
                              "channel": channel, "status": status})


def test_deliveries_say_email_is_not_configured_and_how_many_wait(staff, db):
    queue(db, "email", 17)
    queue(db, "email", 2, status="delivered")
    page = staff.get("/console/deliveries").get_data(as_text=True)
    assert "Email is not configured — 17 messages wait." in page
    assert "CONCIERGE_SMTP_URL" in page


def test_one_waiting_message_is_said_in_the_singular(staff, db):
    queue(db, "webhook", 1)
    page = staff.get("/console/deliveries").get_data(as_text=True)
    assert "Webhooks are not configured — 1 message waits." in page


class TestConfigured:
    @pytest.fixture
    def config(self, config):
        return {**config, "CONCIERGE_SMTP_URL": "smtp://localhost:2525",
                "CONCIERGE_WEBHOOK_URL": "http://localhost:9/hook",
                "CONCIERGE_WEBHOOK_SECRET": "whsec_" + base64.b64encode(b"k" * 32).decode(),
                "OUTBOX_WORKER": False}

    def test_deliveries_say_nothing_when_email_and_webhooks_are_set(self, staff, db):
        queue(db, "email", 3)
        page = staff.get("/console/deliveries").get_data(as_text=True)
        assert "not configured" not in page


def test_the_flag_page_speaks_plainly(staff):
    page = staff.get("/console/flag").get_data(as_text=True)
    assert "Concierge on for shoppers" in page
    assert "Share of shoppers who see it" in page
    assert "<strong>on</strong> for <strong>100 %</strong> of shoppers" in page


@pytest.mark.parametrize("form", [{"canaryPercent": "100"},
                                  {"enabled": "on", "canaryPercent": "0"}])
def test_turning_it_off_for_everyone_asks_first_and_changes_nothing(staff, db, form):
    answer = staff.post("/console/flag", **form)
    assert answer.status_code == 200
    assert "Turn the concierge off for every shopper?" in answer.get_data(as_text=True)
    flag = flags.get_flag(db)
    assert (flag["enabled"], flag["canaryPercent"]) == (True, 100)
    assert db.audit.count_documents({"action": "flag.changed"}) == 0


def test_the_confirmation_turns_it_off(staff, db):
    answer = staff.post("/console/flag", canaryPercent="100", confirm="yes")
    assert answer.status_code == 303
    assert flags.get_flag(db)["enabled"] is False
    page = staff.get("/console/flag").get_data(as_text=True)
    assert "off</strong> for every shopper" in page
    assert "The concierge is off for every shopper" in page


def test_a_smaller_share_needs_no_confirmation(staff, db):
    answer = staff.post("/console/flag", enabled="on", canaryPercent="25")
    assert answer.status_code == 303
    assert flags.get_flag(db)["canaryPercent"] == 25


def test_turning_off_what_is_already_off_asks_nothing(staff, db):
    staff.post("/console/flag", canaryPercent="100", confirm="yes")
    assert staff.post("/console/flag", canaryPercent="50").status_code == 303


class TestStoreWords:
    @pytest.fixture
    def config(self, config):
        return {**config, "CONCIERGE_STORE_NAME": "Maison Rose", "CONCIERGE_ORDER_EXAMPLE": "#1001"}

    def test_the_flag_page_shows_the_stores_words(self, staff):
        page = staff.get("/console/flag").get_data(as_text=True)
        assert "<dt>Store name</dt><dd>Maison Rose" in page
        assert "<dt>Order example</dt><dd>#1001" in page
