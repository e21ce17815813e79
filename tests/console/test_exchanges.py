"""Console returns: names and amounts, resolutions, reject reasons, search, the 30-day split,
and staff cancelling an exchange (its stock goes back, alerts waiting on it are emailed)."""

from __future__ import annotations

import re

import pytest

from ..merchant.conftest import BOOTSTRAP
from ..returns.test_exchanges import EMAIL, ORDER, deliver_order, line, stock_of
from ..stock_alerts.test_restock import drain

API = "/api/concierge"


@pytest.fixture
def config(config, mail):
    return {**config, "CONCIERGE_MERCHANT_KEY": BOOTSTRAP,
            "CONCIERGE_STORE_CREDIT_BONUS_PERCENT": 10, "CONCIERGE_SMTP_URL": mail.url,
            "OUTBOX_WORKER": False}


def exchange(client, key="console-exchange-1", sku="VAR-NVY-S", quantity=1) -> str:
    answer = client.post(f"{API}/returns", headers={"Idempotency-Key": key}, json={
        "orderNumber": ORDER, "email": EMAIL,
        "items": [line(quantity=quantity, resolution="exchange", exchangeSku=sku)]})
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()["rmaNumber"]


def text(page) -> str:
    return re.sub(r"\s+", " ", page.get_data(as_text=True))


def test_a_return_shows_names_amounts_and_resolutions(client, staff):
    deliver_order(client)
    rma = client.post(f"{API}/returns", headers={"Idempotency-Key": "console-mixed-1"}, json={
        "orderNumber": ORDER, "email": EMAIL,
        "items": [line(resolution="exchange", exchangeSku="VAR-NVY-S"),
                  line("VAR-NVY-M", resolution="store_credit")]}).get_json()["rmaNumber"]
    page = text(staff.get(f"/console/returns/{rma}"))
    assert "Satin Slip Dress" in page
    assert "Exchange for VAR-NVY-S" in page
    assert "Store credit $152.90" in page  # 13900 x 1.10
    assert "$139.00" in page
    listing = text(staff.get("/console/returns"))
    assert "1 \u00d7 Satin Slip Dress; 1 \u00d7 Satin Slip Dress" in listing
    assert "$278.00" in listing
    assert "Exchange, Store credit" in listing


def test_the_list_splits_the_last_30_days_by_resolution(client, staff):
    deliver_order(client)
    exchange(client)
    client.post(f"{API}/returns", headers={"Idempotency-Key": "console-credit-1"}, json={
        "orderNumber": ORDER, "email": EMAIL, "items": [line("VAR-NVY-M",
                                                             resolution="store_credit")]})
    page = staff.get("/console/returns").get_data(as_text=True)
    start = page.index('id="return-split"')
    rows = re.findall(r'<th scope="row">([^<]+)</th><td class="num">(\d+)</td>'
                      r'<td class="num">(\d+)</td><td class="num">([^<]+)</td>',
                      page[start:page.index("</table>", start)])
    assert rows == [("Refunds", "0", "0", "—"), ("Exchanges", "1", "1", "—"),
                    ("Store credit", "1", "1", "$152.90")]


@pytest.mark.parametrize("query", ["MAYA.chen@example.com", "gg-exc-1", "#GG-EXC-1"])
def test_returns_are_found_by_email_or_order_number(client, staff, query):
    deliver_order(client)
    rma = exchange(client)
    page = staff.get("/console/returns", query_string={"number": query})
    assert rma in page.get_data(as_text=True)


def test_rejecting_gives_the_stock_back_and_says_why(client, db, staff, mail):
    deliver_order(client)
    rma = exchange(client)
    assert stock_of(db, "VAR-NVY-S") == 1
    answer = staff.post(f"/console/returns/{rma}/status", to="rejected",
                        reason="Worn, tags removed")
    assert answer.status_code == 303
    assert stock_of(db, "VAR-NVY-S") == 2
    assert db.returns.find_one({"rmaNumber": rma})["rejectReason"] == "Worn, tags removed"
    assert "Worn, tags removed" in staff.get(f"/console/returns/{rma}").get_data(as_text=True)
    event = db.outbox.find_one({"type": "return.status_changed", "channel": "email"})
    assert event["email"]["context"]["rejectReason"] == "Worn, tags removed"
    # Rejected again (not a move any more) gives nothing back twice.
    staff.post(f"/console/returns/{rma}/status", to="rejected")
    assert stock_of(db, "VAR-NVY-S") == 2


def test_staff_cancel_an_exchange_once(app, client, db, staff, mail):
    deliver_order(client)
    rma = exchange(client, quantity=2)
    assert stock_of(db, "VAR-NVY-S") == 0
    alert = client.post(f"{API}/stock-alerts", json={"email": "wait@example.com",
                                                     "sku": "VAR-NVY-S"})
    assert alert.status_code == 201
    assert staff.post(f"/console/returns/{rma}/cancel-exchange").status_code == 303
    assert stock_of(db, "VAR-NVY-S") == 2
    doc = db.returns.find_one({"rmaNumber": rma})
    assert doc["items"][0]["resolution"] == "refund"
    assert doc["items"][0]["cancelledExchangeSku"] == "VAR-NVY-S"
    assert doc["reserved"] == []
    again = staff.post(f"/console/returns/{rma}/cancel-exchange")
    assert again.status_code == 409
    assert stock_of(db, "VAR-NVY-S") == 2
    # The stock that came back reaches the shopper waiting for it.
    drain(app, db)
    alerts = [m["To"] for m in mail.messages if m["Subject"].startswith("Back in stock")]
    assert alerts == ["wait@example.com"]
