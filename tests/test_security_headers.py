"""Headers every answer carries."""

HEALTH = "/api/concierge/health"


def test_api_responses_are_not_cached_and_not_sniffed(client):
    response = client.get(HEALTH)
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]

