"""/metrics: conversations by status and the time to the store's first reply."""

from __future__ import annotations

from datetime import timedelta

import pytest
from prometheus_client.parser import text_string_to_metric_families

from concierge.conversations import service

from .conftest import URL, body

TOKEN = "metrics-admin-token-" + "c" * 24


@pytest.fixture
def config(config):
    return {**config, "CONCIERGE_ADMIN_TOKEN": TOKEN}


def scrape(client) -> dict:
    text = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).get_data(
        as_text=True)
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def test_open_conversations_and_first_reply_times_are_gauges(app, client, clock):
    started = [client.post(URL, json=body(email=f"s{n}@example.com")).get_json()
               for n in range(3)]
    with app.test_request_context():
        clock.advance(timedelta(minutes=10))
        service.reply(started[0]["conversationId"], "Réponse", "Robin")
        clock.advance(timedelta(minutes=50))
        service.reply(started[1]["conversationId"], "Réponse", "Robin")
        service.reply(started[1]["conversationId"], "Encore", "Robin")  # not a first reply
    samples = scrape(client)
    assert samples[("concierge_conversations", (("status", "open"),))] == 1
    assert samples[("concierge_conversations", (("status", "waiting"),))] == 2
    assert samples[("concierge_conversations", (("status", "closed"),))] == 0
    assert samples[("concierge_conversations_first_replied_7d", ())] == 2
    assert samples[("concierge_conversation_first_reply_seconds",
                    (("quantile", "0.5"),))] == pytest.approx(600, abs=5)
    assert samples[("concierge_conversation_first_reply_seconds",
                    (("quantile", "0.9"),))] == pytest.approx(3600, abs=5)
