"""Uploads scanned by Debian's real clamd (one local test signature: EICAR)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from concierge.inspiration import images
from concierge.verify import clamd as local

from .fakes import picture
from .test_uploads import stored_image, upload

STORED = ("widgetInspiration", "inspirationImages.files", "inspirationImages.chunks")


def _started(directory=None):
    """Start the local clamd, or fail (never skip) saying how to install it."""
    if not local.available():
        pytest.fail(f"{local.CLAMD} is missing: {local.INSTALL_HINT}", pytrace=False)
    return local.local_clamd(directory)


@pytest.fixture(scope="module")
def real_clamd():
    """The unix:// URL of a real clamd shared by the module's tests."""
    with _started() as url:
        yield url


@pytest.fixture
def config(real_clamd):
    """The embedded app scanning with the real clamd."""
    return {"TESTING": True, "MONGO_URI": "", "RATELIMIT_ENABLED": False,
            "LOG_LEVEL": "ERROR", "CONCIERGE_CLAMD_URL": real_clamd}


def counts(db) -> dict:
    return {name: db[name].count_documents({}) for name in STORED}


def test_the_local_clamd_is_clamav_with_the_test_signature(real_clamd):
    assert local.version(real_clamd).startswith("ClamAV 1.")
    assert local.ask(real_clamd, "PING") == "PONG"
    assert len(local.EICAR) == 68
    assert local.signature_line() == ("Aurora.Test.EICAR:0:*:" + local.EICAR.hex() + "\n")


@pytest.mark.parametrize(("fmt", "content_type"), [("JPEG", "image/jpeg"),
                                                     ("PNG", "image/png")])
def test_a_clean_picture_is_scanned_clean_and_stored(client, db, fmt, content_type):
    response = upload(client, picture(fmt))
    assert response.status_code == 202, response.get_json()
    body = response.get_json()
    assert (body["scanStatus"], body["contentType"]) == ("clean", content_type)
    doc = db.widgetInspiration.find_one({"uploadId": body["uploadId"]})
    assert doc["scanStatus"] == "clean"
    assert Image.open(io.BytesIO(stored_image(db, body["uploadId"]))).format == fmt


def test_a_png_carrying_eicar_is_rejected_and_nothing_is_stored(client, db):
    infected = local.eicar_png()
    assert local.EICAR in infected
    # A valid image: only the scanner can be the reason for the refusal.
    assert images.sanitise(infected, 1_000_000, 2048).format == "PNG"
    before = counts(db)
    response = upload(client, infected, filename="look.png", mimetype="image/png")
    assert response.status_code == 422
    assert response.get_json()["code"] == "upload_rejected"
    assert counts(db) == before
    assert db.analyticsEvents.count_documents({"name": "aurora_inspiration_uploaded"}) == 0


def test_uploads_answer_503_once_clamd_has_stopped(app, client, db, tmp_path):
    with _started(tmp_path / "c") as url:
        app.config["CONCIERGE_CLAMD_URL"] = url
        assert upload(client, picture("PNG")).get_json()["scanStatus"] == "clean"
    before = counts(db)
    response = upload(client, picture("PNG"))
    assert response.status_code == 503
    assert response.get_json()["code"] == "scanner_unavailable"
    assert response.headers["Retry-After"] == "30"
    assert counts(db) == before
