"""Inspiration: rate limit, feature flag, OpenAPI entries."""

import io

import pytest

from concierge.flags import set_flag

from .fakes import picture

URL = "/api/concierge/inspiration"


@pytest.fixture
def config(config):
    return {**config, "RATELIMIT_ENABLED": True, "UPLOAD_LIMIT_PER_CLIENT": "2/minute",
            "CONCIERGE_ADMIN_TOKEN": "t" * 32}


def post(client, headers=None):
    return client.post(URL, headers=headers, content_type="multipart/form-data",
                       data={"image": (io.BytesIO(picture("PNG")), "a.png"),
                             "consent": "true"})


def test_uploads_over_the_limit_are_rate_limited(client):
    assert [post(client).status_code for _ in range(3)] == [202, 202, 429]


def test_session_outside_the_flag_gets_concierge_disabled(client, db, session_headers):
    set_flag(db, False, 0)
    response = post(client, session_headers)
    assert response.status_code == 503
    assert response.get_json()["code"] == "concierge_disabled"
    assert db.widgetInspiration.count_documents({}) == 0


def test_openapi_documents_the_multipart_body_and_admin_endpoints(client):
    paths = client.get("/api/concierge/openapi.json").get_json()["paths"]
    op = paths[URL]["post"]
    form = op["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert form["properties"]["image"]["format"] == "binary"
    assert set(form["required"]) == {"image", "consent"}
    assert {"202", "413", "415", "422", "429", "503"} <= set(op["responses"])
    assert "upload_rejected" in op["responses"]["422"]["description"]
    assert "scanner_unavailable" in op["responses"]["503"]["description"]
    admin = "/api/concierge/admin/inspiration"
    for path, method in ((admin, "get"), (admin + "/{upload_id}/decision", "post")):
        assert "401" in paths[path][method]["responses"]
