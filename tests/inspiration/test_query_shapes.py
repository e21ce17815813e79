"""Every query the inspiration feature issues is served by a declared index."""

import io

import pytest

from ..support.queries import unserved
from .fakes import picture

AUTH = {"Authorization": "Bearer " + "t" * 32}


@pytest.fixture
def config(config):
    return {**config, "CONCIERGE_ADMIN_TOKEN": "t" * 32}


def test_upload_and_moderation_queries_are_index_backed(client, query_log):
    admin = "/api/concierge/admin/inspiration"
    upload_id = client.post("/api/concierge/inspiration", content_type="multipart/form-data",
                            data={"image": (io.BytesIO(picture("PNG")), "a.png"),
                                  "consent": "true"}).get_json()["uploadId"]
    client.get(admin, headers=AUTH)
    client.post(f"{admin}/{upload_id}/decision", json={"decision": "approved"}, headers=AUTH)
    client.get(f"{admin}/{upload_id}/image", headers=AUTH)
    collections = {q["collection"] for q in query_log.queries}
    assert {"widgetInspiration", "inspirationImages.files",
            "inspirationImages.chunks"} <= collections
    assert unserved(query_log) == []
