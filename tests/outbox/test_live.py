"""Under gunicorn: delivery from the server's own threads, and from several processes."""

from __future__ import annotations

import secrets

import pymongo
import pytest
import requests
from standardwebhooks.webhooks import Webhook

from ..support.live import gunicorn
from .conftest import SECRET
from .servers import wait_for

TICKET = {"name": "Avery", "email": "avery.stone@example.com", "topic": "gift",
          "message": "A scarf for my mother"}


def env(hook, mail, **extra) -> dict:
    return {"CONCIERGE_WEBHOOK_URL": hook.url, "CONCIERGE_WEBHOOK_SECRET": SECRET,
            "CONCIERGE_SMTP_URL": mail.url, "CONCIERGE_MAIL_FROM": "shop@aurora.test",
            **extra}


@pytest.mark.live
def test_the_embedded_default_delivers_within_ten_seconds(tmp_path, hook, mail):
    with gunicorn(tmp_path, **env(hook, mail)) as server:
        response = requests.post(server.api("/stylist-tickets"), json=TICKET, timeout=10)
        assert response.status_code == 201
        number = response.json()["ticketNumber"]
        # The contract's bound: both out within 10 s of the event.
        wait_for(lambda: hook.received and mail.messages, timeout=10)
    headers, raw = hook.received[0]
    event = Webhook(SECRET).verify(raw, headers)
    assert (event["type"], event["data"]["ticketNumber"]) == ("stylist_ticket.created", number)
    assert mail.messages[0]["Subject"] == f"We received your request {number}"


@pytest.mark.live
@pytest.mark.mongo
def test_four_processes_on_one_mongodb_send_each_message_once(tmp_path, hook, mail,
                                                               mongo_uri):
    name = f"concierge_test_{secrets.token_hex(4)}"
    with gunicorn(tmp_path, workers=4, **env(hook, mail, MONGO_URI=mongo_uri,
                                             MONGO_DB=name)) as server:
        numbers = []
        for n in range(40):
            response = requests.post(server.api("/stylist-tickets"),
                                     json={**TICKET, "message": f"#{n}"}, timeout=10)
            numbers.append(response.json()["ticketNumber"])
        wait_for(lambda: len(hook.received) >= 40 and len(mail.messages) >= 40, timeout=30)
    ids = [headers["webhook-id"] for headers, _ in hook.received]
    assert len(ids) == len(set(ids)) == 40
    assert sorted(m["Subject"].rsplit(" ", 1)[1] for m in mail.messages) == sorted(numbers)
    pymongo.MongoClient(mongo_uri).drop_database(name)
