"""Every query the subscriptions issue is served by a declared index."""

from ..test_indexes import QueryLog, served


def test_subscription_queries_are_index_backed(app, client):
    log = QueryLog()
    app.extensions["concierge_store"].observers.append(log)
    url = "/api/concierge/order-subscriptions"
    created = client.post(url, json={"orderNumber": "GG-11982", "postalCode": "10001",
                                     "channel": "sms", "destination": "+14155550123"})
    client.delete(f"{url}/{created.get_json()['subscriptionId']}")
    client.delete(f"{url}/unknown-subscription-id")
    assert "orderSubscriptions" in {q["collection"] for q in log.queries}
    assert [q for q in log.queries if not served(q["collection"], q["filter"], q["sort"])] == []
