"""GET and POST /holds/<holdId>: the page the hold confirmation email links to."""

API = "/api/concierge"


def place(client) -> dict:
    response = client.post(f"{API}/capsule-holds", json={
        "capsuleId": "capsule-weekend-edit", "email": "avery.stone@example.com"})
    assert response.status_code == 201
    return response.get_json()


def test_page_shows_the_hold_and_its_end_time(client):
    hold = place(client)
    response = client.get(f"/holds/{hold['holdId']}")
    assert response.status_code == 200
    assert "The Weekend Edit" in response.text
    assert '<dd id="hold-status">active</dd>' in response.text
    assert "Release this hold" in response.text
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_release_frees_the_place_and_shows_it_released(client, db):
    hold = place(client)
    response = client.post(f"/holds/{hold['holdId']}")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/holds/{hold['holdId']}")
    shown = client.get(response.headers["Location"])
    assert '<dd id="hold-status">released</dd>' in shown.text
    assert "Release this hold" not in shown.text
    assert db.capsuleHolds.find_one({"holdId": hold["holdId"]})["status"] == "released"
    assert place(client)["status"] == "active"  # her place (and email) are free again


def test_unknown_hold_answers_a_404_page(client):
    for path in ("/holds/" + "x" * 22, "/holds/bad!"):
        assert client.get(path).status_code == 404
        assert client.post(path).status_code == 404
