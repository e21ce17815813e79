"""Admin moderation of inspiration uploads."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from PIL import Image
from pymongo.errors import PyMongoError

from .fakes import picture

TOKEN = "admin-token-0123456789abcdef"
ADMIN = "/api/concierge/admin/inspiration"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def config(config):
    return {**config, "CONCIERGE_ADMIN_TOKEN": TOKEN}


@pytest.fixture
def upload_id(client):
    response = client.post("/api/concierge/inspiration", content_type="multipart/form-data",
                           data={"image": (io.BytesIO(picture("PNG")), "a.png"),
                                 "consent": "true", "caption": "Dune tones"})
    assert response.status_code == 202
    return response.get_json()["uploadId"]


def test_pending_uploads_are_listed(client, upload_id):
    response = client.get(f"{ADMIN}?status=pending_review", headers=AUTH)
    assert response.status_code == 200
    body = response.get_json()
    assert [item["uploadId"] for item in body["items"]] == [upload_id]
    assert body["items"][0]["caption"] == "Dune tones"
    assert body["count"] == 1


@pytest.mark.parametrize(("decision", "days"), [("approved", 365), ("rejected", 30)])
def test_decision_updates_status_and_retention(client, db, upload_id, decision, days):
    response = client.post(f"{ADMIN}/{upload_id}/decision", headers=AUTH,
                           json={"decision": decision, "note": "fits the brand"})
    assert response.status_code == 200
    body = response.get_json()
    assert (body["moderationStatus"], body["decisionNote"]) == (decision, "fits the brand")
    doc = db.widgetInspiration.find_one({"uploadId": upload_id})
    assert doc["purgeAt"] - doc["decidedAt"] == timedelta(days=days)
    files = db["inspirationImages.files"].find_one({"_id": upload_id})
    assert files["metadata"]["purgeAt"] == doc["purgeAt"]
    assert all(c["purgeAt"] == doc["purgeAt"]
               for c in db["inspirationImages.chunks"].find({"files_id": upload_id}))
    listed = client.get(f"{ADMIN}?status={decision}", headers=AUTH).get_json()["items"]
    assert [item["uploadId"] for item in listed] == [upload_id]
    assert client.get(ADMIN, headers=AUTH).get_json()["items"] == []


def test_stored_image_can_be_fetched(client, upload_id):
    response = client.get(f"{ADMIN}/{upload_id}/image", headers=AUTH)
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert Image.open(io.BytesIO(response.data)).size == (64, 48)


def test_unknown_upload_is_not_found(client):
    response = client.post(f"{ADMIN}/nope-0123456789abcdef/decision", headers=AUTH,
                           json={"decision": "approved"})
    assert response.status_code == 404
    assert response.get_json()["code"] == "upload_not_found"
    assert client.get(f"{ADMIN}/nope-0123456789abcdef/image", headers=AUTH).status_code == 404


def test_upload_past_its_retention_reads_as_gone(client, db, upload_id):
    past = db.widgetInspiration.find_one({"uploadId": upload_id})["createdAt"]
    db.widgetInspiration.update_one({"uploadId": upload_id}, {"$set": {"purgeAt": past}})
    assert client.get(ADMIN, headers=AUTH).get_json()["items"] == []
    response = client.post(f"{ADMIN}/{upload_id}/decision", headers=AUTH,
                           json={"decision": "approved"})
    assert response.status_code == 404


@pytest.mark.parametrize("body", [{"decision": "maybe"}, {}, {"decision": "approved",
                                                              "extra": 1}])
def test_invalid_decision_is_refused(client, upload_id, body):
    response = client.post(f"{ADMIN}/{upload_id}/decision", headers=AUTH, json=body)
    assert response.status_code == 422


def test_invalid_status_filter_is_refused(client):
    assert client.get(f"{ADMIN}?status=everything", headers=AUTH).status_code == 422


@pytest.mark.parametrize("header", [None, "Bearer wrong-token", f"Basic {TOKEN}",
                                    f"Bearer {TOKEN}x", "Bearer"])
def test_without_the_right_token_is_unauthorized(client, upload_id, header):
    headers = {"Authorization": header} if header else {}
    for response in (client.get(ADMIN, headers=headers),
                     client.post(f"{ADMIN}/{upload_id}/decision", headers=headers,
                                 json={"decision": "approved"}),
                     client.get(f"{ADMIN}/{upload_id}/image", headers=headers)):
        assert response.status_code == 401
        assert response.get_json()["code"] == "unauthorized"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_admin_endpoints_are_off_without_a_configured_token(app, client):
    app.config["CONCIERGE_ADMIN_TOKEN"] = ""
    for headers in ({}, {"Authorization": "Bearer "}, AUTH):
        response = client.get(ADMIN, headers=headers)
        assert response.status_code == 404


class TestWrongTokensAreLimited:
    @pytest.fixture
    def config(self, config):
        return {**config, "RATELIMIT_ENABLED": True, "ADMIN_AUTH_LIMIT_PER_CLIENT": "4/minute"}

    @staticmethod
    def attempt(client, method, path, token, address="10.0.0.1"):
        return client.open(f"{ADMIN}{path}", method=method, environ_base={"REMOTE_ADDR": address},
                           headers={"Authorization": f"Bearer {token}"},
                           json={"decision": "approved"} if method == "POST" else None)

    def test_failures_count_per_client_across_admin_endpoints(self, client, upload_id):
        tries = [("GET", ""), ("POST", f"/{upload_id}/decision"), ("GET", f"/{upload_id}/image"),
                 ("GET", "?status=approved"), ("GET", ""), ("GET", f"/{upload_id}/image")]
        statuses = [self.attempt(client, m, p, f"wrong-token-{n:020d}").status_code
                    for n, (m, p) in enumerate(tries)]
        assert statuses == [401] * 4 + [429] * 2
        limited = self.attempt(client, "GET", "", TOKEN)
        assert (limited.status_code, limited.get_json()["code"]) == (429, "rate_limited")
        assert int(limited.headers["Retry-After"]) >= 1
        assert self.attempt(client, "GET", "", TOKEN, address="10.0.0.2").status_code == 200

    def test_the_right_token_is_never_counted(self, client):
        assert {self.attempt(client, "GET", "", TOKEN).status_code for _ in range(8)} == {200}


class ChunksFailed(PyMongoError):
    """The database failing the second half of a decision."""


@pytest.mark.parametrize("step", ["inspirationImages.files", "inspirationImages.chunks"])
def test_a_decision_that_fails_halfway_changes_nothing(client, db, races, upload_id, step):
    def fail(*_):
        raise ChunksFailed("the image's purge date could not be moved")

    before = (db.widgetInspiration.find_one({"uploadId": upload_id}),
              list(db["inspirationImages.chunks"].find({"files_id": upload_id})))
    races.before(step, "update_one" if step.endswith("files") else "update_many", fail)
    response = client.post(f"{ADMIN}/{upload_id}/decision", headers=AUTH,
                           json={"decision": "approved"})
    assert response.status_code == 500
    assert (db.widgetInspiration.find_one({"uploadId": upload_id}),
            list(db["inspirationImages.chunks"].find({"files_id": upload_id}))) == before
    again = client.post(f"{ADMIN}/{upload_id}/decision", headers=AUTH,
                        json={"decision": "approved"})
    assert again.status_code == 200
