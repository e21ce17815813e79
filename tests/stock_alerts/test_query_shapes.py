"""Every query of exchanges and stock alerts is served by a declared index."""

from __future__ import annotations

from ..support.queries import unserved
from .conftest import API, alert, restock
from .test_restock import drain


def test_exchanges_alerts_and_restocks_query_only_through_indexes(app, client, db, dress,
                                                                  query_log):
    from ..returns.test_exchanges import deliver_order, line

    deliver_order(client)
    assert client.post(f"{API}/returns", headers={"Idempotency-Key": "shape-exchange-1"}, json={
        "orderNumber": "GG-EXC-1", "email": "maya.chen@example.com",
        "items": [line(resolution="exchange", exchangeSku="VAR-NVY-S")]}).status_code == 201
    client.post(f"{API}/returns", headers={"Idempotency-Key": "shape-exchange-2"}, json={
        "orderNumber": "GG-EXC-1", "email": "maya.chen@example.com",
        "items": [line(resolution="exchange", exchangeSku="VAR-BLK-M")]})
    alert_id = alert(client).get_json()["alertId"]
    alert(client)
    client.get(f"{API}/stock-alerts/{alert_id}")
    alert(client, email="second@example.com")
    restock(client)
    drain(app, db)
    client.post(f"/stock-alerts/{alert_id}/unsubscribe")
    collections = {q["collection"] for q in query_log.queries}
    assert {"stockAlerts", "stockRestocks", "outbox", "products"} <= collections
    assert unserved(query_log) == []
