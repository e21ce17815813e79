"""Headers every answer carries."""

HEALTH = "/api/concierge/health"


def test_api_responses_are_not_cached_and_not_sniffed(client):
    response = client.get(HEALTH)
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]



def test_a_header_a_view_set_is_kept_as_it_set_it(client):
    # The widget's pages set their own Cache-Control; no second one is added.
    response = client.get("/widget")
    assert response.headers.getlist("Cache-Control") == [response.headers["Cache-Control"]]
    assert response.headers.getlist("X-Content-Type-Options") == ["nosniff"]


def test_pages_outside_the_api_are_not_marked_no_store(client):
    assert client.get("/widget").headers.get("Cache-Control") != "no-store"
