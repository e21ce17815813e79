"""Every query the subscriptions issue is served by a declared index."""

from ..support.queries import unserved


def test_subscription_queries_are_index_backed(client, query_log):
    url = "/api/concierge/order-subscriptions"
    created = client.post(url, json={"orderNumber": "GG-11982", "postalCode": "10001",
                                     "channel": "sms", "destination": "+14155550123"})
    client.delete(f"{url}/{created.get_json()['subscriptionId']}")
    client.delete(f"{url}/unknown-subscription-id")
    assert "orderSubscriptions" in {q["collection"] for q in query_log.queries}
    assert unserved(query_log) == []
