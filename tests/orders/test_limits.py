"""Brute force on an order's secondary factor is stopped; limits can be switched off."""

import pytest

URL = "/api/concierge/orders/lookup"
BASE = {"TESTING": True, "MONGO_URI": "", "LOG_LEVEL": "WARNING"}


def guess(client, number="GG-10457", n=0, address="10.0.0.1"):
    return client.post(URL, json={"orderNumber": number, "email": f"guess{n}@example.com"},
                       environ_base={"REMOTE_ADDR": address})


class TestPerOrderLimit:
    @pytest.fixture
    def config(self):
        return {**BASE, "RATELIMIT_ENABLED": True}

    def test_guessing_one_order_from_many_addresses_is_stopped_within_30_tries(self, client):
        statuses = [guess(client, n=n, address=f"10.0.{n}.1").status_code for n in range(30)]
        assert 429 in statuses
        first = statuses.index(429)
        assert set(statuses[:first]) == {404}
        assert set(statuses[first:]) == {429}
        limited = guess(client, n=99, address="10.9.9.9")
        assert limited.content_type == "application/problem+json"
        assert limited.get_json()["code"] == "rate_limited"
        assert int(limited.headers["Retry-After"]) >= 1

    def test_the_stopped_order_stays_stopped_even_with_the_right_email(self, client):
        n = 0
        while guess(client, n=n, address=f"10.1.{n}.1").status_code != 429:
            n += 1
        right = client.post(URL, json={"orderNumber": " gg-10457", "email":
                                       "jordan.lee@example.com"})
        assert right.status_code == 429

    def test_other_orders_are_not_affected(self, client):
        n = 0
        while guess(client, n=n, address=f"10.1.{n}.1").status_code != 429:
            n += 1
        assert guess(client, number="GG-11982").status_code == 404
        right = client.post(URL, json={"orderNumber": "GG-11982", "postalCode": "10001"})
        assert right.status_code == 200

    def test_shoppers_who_know_their_details_are_never_counted(self, client):
        body = {"orderNumber": "GG-10457", "email": "jordan.lee@example.com"}
        assert {client.post(URL, json=body).status_code for _ in range(25)} == {200}

    def test_a_stranger_guessing_cannot_lock_the_owner_out(self, app, client):
        budget = int(app.config["ORDER_LOOKUP_LIMIT_PER_CLIENT_ORDER"].split("/")[0])
        statuses = [guess(client, n=n).status_code for n in range(budget + 3)]
        assert statuses == [404] * budget + [429] * 3
        owner = client.post(URL, json={"orderNumber": "GG-10457",
                                       "email": "jordan.lee@example.com"},
                            environ_base={"REMOTE_ADDR": "10.7.7.7"})
        assert owner.status_code == 200
        assert guess(client, number="GG-11982").status_code == 404  # other orders: own budget

    def test_non_ascii_guesses_are_ordinary_failed_guesses_and_count(self, app, client):
        budget = int(app.config["ORDER_LOOKUP_LIMIT_PER_CLIENT_ORDER"].split("/")[0])
        factors = [{"email": "jördan.lee@example.com"}, {"postalCode": "9411é"}]
        statuses = [client.post(URL, json={"orderNumber": "GG-10457", **factors[n % 2]},
                                environ_base={"REMOTE_ADDR": "10.0.0.3"}).status_code
                    for n in range(budget + 1)]
        assert statuses == [404] * budget + [429]


class TestPerClientLimit:
    @pytest.fixture
    def config(self):
        return {**BASE, "RATELIMIT_ENABLED": True, "ORDER_LOOKUP_LIMIT_PER_CLIENT": "5/minute"}

    def test_one_address_is_limited_across_every_order(self, client):
        numbers = ["GG-11982", "GG-10457", "GG-10212", "GG-12001", "GG-12040"]
        assert [guess(client, number=n).status_code for n in numbers] == [404] * 5
        assert guess(client, number="GG-99999").status_code == 429
        assert guess(client, number="GG-99999", address="10.0.0.2").status_code == 404


class TestLimitsOff:
    @pytest.fixture
    def config(self):
        return {**BASE, "RATELIMIT_ENABLED": False, "ORDER_LOOKUP_LIMIT_PER_CLIENT": "5/minute"}

    def test_switching_limits_off_lets_every_guess_through(self, client):
        assert {guess(client, n=n).status_code for n in range(40)} == {404}


class TestHostileBodiesWithLimitsOn:
    @pytest.fixture
    def config(self):
        return {**BASE, "RATELIMIT_ENABLED": True}

    @pytest.mark.parametrize("path", ["/orders/lookup", "/returns", "/order-subscriptions"])
    @pytest.mark.parametrize(("body", "status"), [
        ("[" * 10_000 + "]" * 10_000, 400),
        ('{"orderNumber": "GG-11982\\ud800", "email": "a@example.com"}', 422),
        ('{"orderNumber": {"$ne": null}, "email": "a@example.com"}', 422),
    ])
    def test_the_order_key_never_fails_the_request(self, client, path, body, status):
        response = client.post(f"/api/concierge{path}", data=body,
                               content_type="application/json",
                               headers={"Idempotency-Key": "hostile-key-01"})
        assert response.status_code == status
        assert response.content_type == "application/problem+json"

    def test_the_number_written_another_way_shares_its_budget(self, app, client):
        budget = int(app.config["ORDER_LOOKUP_LIMIT_PER_CLIENT_ORDER"].split("/")[0])
        for n in range(budget):
            assert guess(client, n=n).status_code == 404
        # The key is normalised as the lookup is: what reaches the order shares its budget.
        for spelling in (" gg - 10457 ", "#GG10457", "gg10457"):
            assert guess(client, number=spelling).status_code == 429
