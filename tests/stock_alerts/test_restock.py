"""A restock emails each waiting alert once, oldest first, through a real SMTP server."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from concierge.outbox import worker
from concierge.stock_alerts import service

from ..outbox.servers import wait_for
from ..support.platforms import API as PLATFORMS
from ..support.platforms import SHOPIFY_SECRET, sample, shopify_headers
from .conftest import API, AUTH, alert, restock


def pass_(app, db) -> dict:
    """One pass of the email worker: the alerts' step, then the deliveries."""
    with app.app_context():
        queued = service.dispatch()
        counts = worker.deliver_due(app.config["CONCIERGE"], db, ["email"])
    return {"queued": queued, **counts}


def drain(app, db, passes=20) -> None:
    for _ in range(passes):
        counts = pass_(app, db)
        if not any(counts.values()):
            return


def waiting_alerts(client, clock, count, sku="VAR-BLK-M") -> list[str]:
    ids = []
    for n in range(count):
        ids.append(alert(client, email=f"shopper{n}@example.com", sku=sku).get_json()["alertId"])
        clock.advance(timedelta(seconds=1))
    return ids


def test_each_waiting_alert_gets_one_email_oldest_first(app, client, db, dress, mail, clock):
    ids = waiting_alerts(client, clock, 3)
    restock(client)
    drain(app, db)
    assert [m["To"] for m in mail.messages] == [f"shopper{n}@example.com" for n in range(3)]
    for alert_id in ids:
        shown = client.get(f"{API}/stock-alerts/{alert_id}").get_json()
        assert shown["status"] == "sent"
        assert shown["sentAt"] is not None
    sent = list(db.outbox.find({"type": "stock_alert.sent", "channel": "webhook"}))
    assert [d["data"]["alertIds"] for d in sent] == [ids]
    assert sent[0]["data"]["count"] == 3
    # Restocked again: nobody waits, nobody is emailed twice.
    restock(client, stock=0)
    restock(client, stock=5)
    drain(app, db)
    assert len(mail.messages) == 3
    assert db.stockRestocks.count_documents({}) == 0


def test_the_email_links_the_product_and_unsubscribes_in_one_click(
        app, client, db, dress, mail):
    alert_id = alert(client, email="ana@example.com", locale="fr").get_json()["alertId"]
    restock(client)
    drain(app, db)
    (message,) = mail.messages
    assert message["Subject"] == "De retour en stock : Satin Slip Dress"
    link = f"https://concierge.aurora.test/stock-alerts/{alert_id}/unsubscribe"
    assert message["List-Unsubscribe"].strip() == f"<{link}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    plain = message.get_body(("plain",)).get_content()
    assert f"https://concierge.aurora.test/demo?product={dress}" in plain
    assert "VAR-BLK-M" in plain
    page = client.get(f"/stock-alerts/{alert_id}/unsubscribe")
    assert page.status_code == 200
    assert client.get(f"{API}/stock-alerts/{alert_id}").get_json()["status"] == "sent"
    assert client.post(f"/stock-alerts/{alert_id}/unsubscribe").status_code == 200
    assert client.get(f"{API}/stock-alerts/{alert_id}").get_json()["status"] == "cancelled"


def test_an_alert_cancelled_before_the_restock_gets_nothing(app, client, db, dress, mail):
    kept = alert(client, email="kept@example.com").get_json()["alertId"]
    gone = alert(client, email="gone@example.com").get_json()["alertId"]
    assert client.post(f"/stock-alerts/{gone}/unsubscribe").status_code == 200
    restock(client)
    drain(app, db)
    assert [m["To"] for m in mail.messages] == ["kept@example.com"]
    assert client.get(f"{API}/stock-alerts/{kept}").get_json()["status"] == "sent"
    assert client.get(f"{API}/stock-alerts/{gone}").get_json()["status"] == "cancelled"


def test_an_unknown_unsubscribe_link_says_so(client):
    assert client.get("/stock-alerts/nope-nope-nope-nope-00/unsubscribe").status_code == 404


class TestBatches:
    @pytest.fixture
    def config(self, config):
        return {**config, "STOCK_ALERT_BATCH": 2}

    def test_the_stock_is_checked_before_each_batch(self, app, client, db, dress, mail, clock):
        ids = waiting_alerts(client, clock, 5)
        restock(client, stock=1)
        assert pass_(app, db)["queued"] == 2  # first batch: the two oldest
        restock(client, stock=0)  # sold again before the next batch
        drain(app, db)
        assert [m["To"] for m in mail.messages] == ["shopper0@example.com",
                                                    "shopper1@example.com"]
        statuses = [client.get(f"{API}/stock-alerts/{i}").get_json()["status"] for i in ids]
        assert statuses == ["sent", "sent", "waiting", "waiting", "waiting"]
        restock(client, stock=2)  # back: the rest, oldest first
        drain(app, db)
        assert [m["To"] for m in mail.messages][2:] == [
            f"shopper{n}@example.com" for n in (2, 3, 4)]

    def test_the_next_batch_waits_until_the_last_one_is_sent(self, app, client, db, dress,
                                                              clock):
        waiting_alerts(client, clock, 3)
        restock(client)
        with app.app_context():
            assert service.dispatch() == 2
            assert service.dispatch() == 0  # its two emails are not sent yet
        assert db.stockAlerts.count_documents({"status": "waiting"}) == 1


@pytest.mark.parametrize("path", ["product", "batch", "inventory_batch"])
def test_every_merchant_stock_path_triggers_the_alerts(app, client, db, dress, mail, path):
    from ..merchant.variants import dress_body, variant

    alert(client)
    body = dress_body(variants=[variant("VAR-BLK-S", "S", "Black", 5),
                                variant("VAR-BLK-M", "M", "Black", 4),
                                variant("VAR-NVY-S", "S", "Navy", 2),
                                variant("VAR-NVY-M", "M", "Navy", 7)])
    if path == "product":
        answer = client.put(f"{API}/merchant/products/{dress}", json=body, headers=AUTH)
    elif path == "batch":
        answer = client.post(f"{API}/merchant/products/batch",
                             json={"products": [{**body, "sku": dress}]}, headers=AUTH)
    else:
        answer = client.post(f"{API}/merchant/inventory/batch",
                             json={"items": [{"sku": "VAR-BLK-M", "stock": 4}]}, headers=AUTH)
    assert answer.status_code == 200, answer.get_json()
    drain(app, db)
    assert [m["To"] for m in mail.messages] == ["ana@example.com"]


def test_a_write_that_leaves_the_variant_sold_out_triggers_nothing(app, client, db, dress,
                                                                   mail):
    alert(client)
    restock(client, sku="VAR-NVY-M", stock=9)
    drain(app, db)
    assert mail.messages == []
    assert db.stockRestocks.count_documents({}) == 0


class TestWorker:
    @pytest.fixture
    def config(self, config):
        return {**config, "OUTBOX_WORKER": True}

    @pytest.fixture
    def app(self, app):
        yield app
        workers = app.extensions.get("concierge_outbox")
        if workers is not None:
            workers.stop()

    def test_the_outbox_worker_sends_them_without_the_request_waiting(self, client, dress,
                                                                      mail):
        alert(client, email="one@example.com")
        alert(client, email="two@example.com")
        restock(client)
        wait_for(lambda: len(mail.messages) == 2, timeout=60)
        assert {m["To"] for m in mail.messages} == {"one@example.com", "two@example.com"}



class TestPlatformWebhooks:
    """A restock that arrives as Shopify's inventory webhook reaches the waiting shopper too."""

    @pytest.fixture
    def config(self, config):
        return {**config, "CONCIERGE_SHOPIFY_WEBHOOK_SECRET": SHOPIFY_SECRET}

    def test_a_shopify_inventory_update_emails_each_waiting_shopper(self, app, client, db,
                                                                    mail):
        def send(topic, payload):
            body = json.dumps(payload).encode()
            return client.post(f"{PLATFORMS}/shopify/webhooks", data=body,
                               headers=shopify_headers(topic, body, None))

        assert send("products/create", sample("shopify", "products-create")).status_code == 200
        level = sample("shopify", "inventory_levels-update")
        assert send("inventory_levels/update", {**level, "available": 0}).status_code == 200
        assert alert(client, sku="AUR-SH-WRAP-BLA-M").status_code == 201
        later = {**level, "available": 4, "updated_at": "2026-12-31T12:00:00-05:00"}
        assert send("inventory_levels/update", later).get_json() == {"status": "applied"}
        drain(app, db)
        assert [m["To"] for m in mail.messages] == ["ana@example.com"]
