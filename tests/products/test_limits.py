"""Per-client read limit on the catalogue."""

import pytest


@pytest.fixture
def config():
    return {"TESTING": True, "MONGO_URI": "", "RATELIMIT_ENABLED": True,
            "READ_LIMIT_PER_CLIENT": "3/minute", "LOG_LEVEL": "WARNING"}


def test_reads_share_one_per_client_budget(client):
    answers = [client.get("/api/concierge/products").status_code for _ in range(2)]
    answers.append(client.get("/api/concierge/products/AUR-DR-0001").status_code)
    limited = client.get("/api/concierge/capsules")
    assert answers == [200, 200, 200]
    assert limited.status_code == 429
    assert limited.content_type == "application/problem+json"
    assert limited.get_json()["code"] == "rate_limited"
    assert int(limited.headers["Retry-After"]) >= 1
