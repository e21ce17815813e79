"""Subscribe to an order's updates as a shopper does, confirming from the emailed link."""

from __future__ import annotations

URL = "/api/concierge/order-subscriptions"


def subscribe(client, db, destination: str, *, channel: str = "email",
              order: str = "GG-11982", factors: dict | None = None,
              headers: dict | None = None) -> str:
    """Return the id of an active subscription of the destination to the order's updates.

    An address that is not the order's own is answered 202 and sent a link; the
    link's page is posted as the shopper's click would (its id read from the
    store, where the email's link takes it from).
    """
    body = {"orderNumber": order, **(factors or {"postalCode": "10001"}), "channel": channel,
            "destination": destination}
    answer = client.post(URL, json=body, headers=headers or {})
    assert answer.status_code in (200, 201, 202), answer.get_json()
    if answer.status_code == 201:
        return answer.get_json()["subscriptionId"]
    stored = db.orderSubscriptions.find_one({"orderNumber": order, "channel": channel,
                                             "destination": destination.strip().lower()})
    if stored["status"] != "active":
        assert client.post(f"/order-updates/{stored['subscriptionId']}").status_code == 200
    return stored["subscriptionId"]
