"""POST /inspiration: sniffing, limits, re-encoding, scanning, storage."""

from __future__ import annotations

import io
import random
import socket
from datetime import timedelta

import pytest
from PIL import Image
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from concierge.inspiration import scanner

from ..support.live import free_port
from .fakes import EICAR, jpeg_with_gps, jpeg_with_raw_exif, picture, png_declaring

URL = "/api/concierge/inspiration"
MIB = 1024 * 1024


def upload(client, data: bytes, filename="photo.jpg", mimetype="image/jpeg",
           consent="true", caption="Linen for the coast", headers=None, **extra):
    form = {"image": FileStorage(io.BytesIO(data), filename, content_type=mimetype),
            **extra}
    if consent is not None:
        form["consent"] = consent
    if caption is not None:
        form["caption"] = caption
    # Encoded in memory: the test client would spool a large body to a temp file.
    boundary, body = encode_multipart(form)
    return client.post(URL, data=body, headers=headers,
                       content_type=f"multipart/form-data; boundary={boundary}")


def stored_image(db, upload_id: str) -> bytes:
    """Reassemble the stored image from its GridFS chunks."""
    files = db["inspirationImages.files"].find_one({"_id": upload_id})
    chunks = db["inspirationImages.chunks"].find({"files_id": upload_id}).sort("n", 1)
    data = b"".join(chunk["data"] for chunk in chunks)
    assert len(data) == files["length"]
    return data


@pytest.mark.parametrize(("fmt", "content_type"), [
    ("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")])
def test_image_is_accepted_for_review_and_stored(client, db, session_headers, session_id,
                                                 fmt, content_type):
    response = upload(client, picture(fmt), filename="x.bin", caption=" Linen ",
                      mimetype="application/octet-stream", headers=session_headers)
    assert response.status_code == 202
    body = response.get_json()
    assert body["moderationStatus"] == "pending_review"
    assert body["scanStatus"] == "not_configured"
    assert (body["width"], body["height"], body["contentType"]) == (64, 48, content_type)
    assert body["createdAt"].endswith("Z")
    assert len(body["uploadId"]) >= 22
    doc = db.widgetInspiration.find_one({"uploadId": body["uploadId"]})
    assert doc["caption"] == "Linen"
    assert doc["consent"] is True
    assert doc["purgeAt"] - doc["createdAt"] == timedelta(days=30)
    files = db["inspirationImages.files"].find_one({"_id": doc["imageFileId"]})
    assert files["contentType"] == content_type
    assert files["metadata"] == {"uploadId": body["uploadId"], "purgeAt": doc["purgeAt"]}
    assert Image.open(io.BytesIO(stored_image(db, body["uploadId"]))).format == fmt
    event = db.analyticsEvents.find_one({"name": "aurora_inspiration_uploaded"})
    assert (event["sessionId"], event["requestId"]) == (session_id,
                                                        response.headers["X-Request-ID"])


def test_exif_and_gps_are_gone_from_the_stored_image(client, db):
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # GPS is there
    response = upload(client, original)
    assert response.status_code == 202
    data = stored_image(db, response.get_json()["uploadId"])
    stored = Image.open(io.BytesIO(data))
    assert "exif" not in stored.info
    assert len(stored.getexif()) == 0
    assert b"Exif" not in data
    assert b"AuroraCam" not in data


def test_exif_orientation_is_applied_before_it_is_dropped(client, db):
    response = upload(client, jpeg_with_gps(orientation=6))  # rotate 90 degrees
    assert (response.get_json()["width"], response.get_json()["height"]) == (48, 64)


def test_image_spread_over_several_chunks_reads_back_whole(client, db):
    noisy = Image.frombytes("RGB", (400, 400), random.Random(7).randbytes(400 * 400 * 3))
    out = io.BytesIO()
    noisy.save(out, "PNG", compress_level=0)
    response = upload(client, out.getvalue(), filename="a.png", mimetype="image/png")
    upload_id = response.get_json()["uploadId"]
    assert db["inspirationImages.chunks"].count_documents({"files_id": upload_id}) >= 2
    assert Image.open(io.BytesIO(stored_image(db, upload_id))).tobytes() == noisy.tobytes()


@pytest.mark.parametrize(("data", "filename", "mimetype"), [
    (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
     "cat.svg", "image/svg+xml"),
    (b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF", "cat.jpg", "image/jpeg"),
    (picture("GIF"), "cat.png", "image/png"),
    (EICAR, "cat.jpg", "image/jpeg"),
    (b"", "empty.jpg", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n" + b"garbage" * 20, "broken.png", "image/png"),
    (picture("JPEG")[:300], "truncated.jpg", "image/jpeg"),
])
def test_non_images_are_refused_whatever_their_name(client, db, data, filename, mimetype):
    response = upload(client, data, filename=filename, mimetype=mimetype)
    assert response.status_code == 415
    assert response.get_json()["code"] == "unsupported_media_type"
    assert db.widgetInspiration.count_documents({}) == 0
    assert db["inspirationImages.files"].count_documents({}) == 0


def test_image_over_max_image_bytes_is_too_large(client, db):
    data = picture("PNG") + b"\0" * (5 * MIB)
    response = upload(client, data)
    assert response.status_code == 413
    assert response.get_json()["code"] == "payload_too_large"
    assert response.get_json()["maxBytes"] == 5 * MIB
    assert db.widgetInspiration.count_documents({}) == 0


def test_body_over_max_content_length_is_too_large(client):
    response = upload(client, b"\xff\xd8\xff" + b"\0" * (6 * MIB))
    assert response.status_code == 413
    assert response.get_json()["code"] == "payload_too_large"


def test_streamed_body_without_content_length_is_cut_at_the_limit(client):
    boundary = "aurora-boundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"consent\"\r\n\r\ntrue\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; "
            f"filename=\"a.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n").encode()
    body += b"\xff\xd8\xff" + b"\0" * (6 * MIB) + f"\r\n--{boundary}--\r\n".encode()
    response = client.post(URL, input_stream=io.BytesIO(body),
                           content_type=f"multipart/form-data; boundary={boundary}",
                           headers={"Transfer-Encoding": "chunked"},
                           environ_overrides={"wsgi.input_terminated": True})
    assert response.status_code == 413
    assert response.get_json()["code"] == "payload_too_large"


@pytest.mark.parametrize(("width", "height"), [
    (8000, 5001),     # 40 000 008 px: one over our limit, below Pillow's guard
    (10000, 10000),   # over Pillow's warning threshold
    (20000, 20000),   # over Pillow's DecompressionBombError threshold
])
def test_too_many_pixels_is_refused_from_the_header(client, db, width, height):
    response = upload(client, png_declaring(width, height), filename="b.png")
    assert response.status_code == 413
    assert response.get_json()["maxPixels"] == 40_000_000
    assert db.widgetInspiration.count_documents({}) == 0


@pytest.mark.parametrize(("changes", "field"), [
    ({"consent": None}, "consent"), ({"consent": "false"}, "consent"),
    ({"consent": "yes"}, "consent"), ({"caption": "x" * 281}, "caption"),
    ({"other": "1"}, "other"),
])
def test_invalid_form_is_refused(client, db, changes, field):
    response = upload(client, picture("PNG"), **changes)
    assert response.status_code == 422
    assert field in response.get_json()["errors"]
    assert db.widgetInspiration.count_documents({}) == 0


def test_missing_image_is_refused(client):
    response = client.post(URL, data={"consent": "true"}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "image" in response.get_json()["errors"]


def test_json_body_is_unsupported_media_type(client):
    response = client.post(URL, json={"image": "aGVsbG8="})
    assert response.status_code == 415


def test_clean_scan_is_reported_and_the_original_bytes_were_scanned(app, client, clamd):
    server = clamd("OK")
    app.config["CONCIERGE_CLAMD_URL"] = server.url
    original = picture("PNG")
    response = upload(client, original)
    assert response.status_code == 202
    assert response.get_json()["scanStatus"] == "clean"
    assert server.received == [(b"zINSTREAM\0", original)]


def test_scanner_on_a_unix_socket_is_used(app, client, clamd, tmp_path):
    server = clamd("OK", family=socket.AF_UNIX, path=str(tmp_path / "clamd.sock"))
    app.config["CONCIERGE_CLAMD_URL"] = server.url
    assert upload(client, picture("PNG")).get_json()["scanStatus"] == "clean"
    assert len(server.received) == 1


def test_infected_upload_is_rejected_and_nothing_is_stored(app, client, db, clamd):
    app.config["CONCIERGE_CLAMD_URL"] = clamd("Eicar-Signature FOUND").url
    response = upload(client, picture("JPEG"))
    assert response.status_code == 422
    assert response.get_json()["code"] == "upload_rejected"
    assert db.widgetInspiration.count_documents({}) == 0
    assert db["inspirationImages.chunks"].count_documents({}) == 0


@pytest.mark.parametrize("reply", ["INSTREAM size limit exceeded. ERROR", None])
def test_scanner_error_or_silence_is_503_never_a_pass(app, client, db, clamd, monkeypatch,
                                                      reply):
    monkeypatch.setattr(scanner, "TIMEOUT", 0.5)
    app.config["CONCIERGE_CLAMD_URL"] = clamd(reply).url
    response = upload(client, picture("PNG"))
    assert response.status_code == 503
    assert response.get_json()["code"] == "scanner_unavailable"
    assert db.widgetInspiration.count_documents({}) == 0


def test_unreachable_scanner_is_503(app, client, db):
    app.config["CONCIERGE_CLAMD_URL"] = f"tcp://127.0.0.1:{free_port()}"
    response = upload(client, picture("PNG"))
    assert response.status_code == 503
    assert response.get_json()["code"] == "scanner_unavailable"
    assert response.headers["Retry-After"]
    assert db.widgetInspiration.count_documents({}) == 0


ORIENT_3, ORIENT_6, ORIENT_8 = ((274, 3, 1, bytes([n, 0, 0, 0])) for n in (3, 6, 8))


# Pillow warns about the damaged metadata while it reads it; warnings are not errors in
# production (here they are, so these tests run as production does).
@pytest.mark.filterwarnings("ignore::UserWarning:PIL.TiffImagePlugin")
@pytest.mark.parametrize(("entries", "size"), [
    # Each made ImageOps.exif_transpose raise (TypeError, AttributeError, KeyError,
    # struct.error, ValueError) while it rewrote the EXIF it keeps.
    ([ORIENT_3, (513, 12, 1, b"(\0\0\0"), (282, 2, 4, b"\x1a\0\0\0")], (64, 48)),
    ([ORIENT_6, (315, 1, 2, b"\0\0\0\0"), (282, 1, 2, b"\0\0\0\0")], (48, 64)),
    ([ORIENT_3, (700, 2, 1, b"\0\0\0\x80")], (64, 48)),
    ([ORIENT_6, (258, 13, 4, b"\1\0\0\0")], (48, 64)),
    ([ORIENT_3, (37510, 4, 0, b"\0\0\0\0"), (305, 5, 2, b"\1\0\0\0")], (64, 48)),
    ([ORIENT_6, (262, 8, 4, b"\x1a\0\0\0"), (34665, 6, 100, b"\1\0\0\0"),
      (259, 11, 8, b"\0\0\0\x80")], (48, 64)),
    ([ORIENT_8, (34853, 6, 3, b"\x8e\xea\x16\xe9")], (48, 64)),
    ([ORIENT_3, (33723, 10, 1, b"(\0\0\0"), (339, 9, 8, b"\x1a\0\0\0")], (64, 48)),
    ([(274, 2, 4, b"abc\0")], (64, 48)),  # an orientation that is not a number
])
def test_malformed_exif_is_dropped_and_the_picture_stored(client, db, entries, size):
    response = upload(client, jpeg_with_raw_exif(entries))
    assert response.status_code == 202
    body = response.get_json()
    assert (body["width"], body["height"]) == size
    stored = Image.open(io.BytesIO(stored_image(db, body["uploadId"])))
    assert len(stored.getexif()) == 0
    assert stored.size == size


@pytest.mark.parametrize(("fmt", "size", "kept"), [
    ("JPEG", (5000, 3000), (2048, 1229)),
    ("PNG", (3000, 100), (2048, 68)),
    ("WEBP", (1500, 4000), (768, 2048)),
    ("PNG", (2048, 2048), (2048, 2048)),
])
def test_large_pictures_are_kept_at_most_max_edge_wide(client, db, fmt, size, kept):
    response = upload(client, picture(fmt, size=size), filename=f"big.{fmt.lower()}")
    assert response.status_code == 202
    body = response.get_json()
    assert (body["width"], body["height"]) == kept
    assert Image.open(io.BytesIO(stored_image(db, body["uploadId"]))).size == kept


def test_a_large_rotated_jpeg_is_kept_upright_within_max_edge(client):
    response = upload(client, jpeg_with_raw_exif([ORIENT_6], size=(4000, 3000)))
    assert (response.get_json()["width"], response.get_json()["height"]) == (1536, 2048)


class TestDecodingSlots:
    @pytest.fixture
    def config(self, config):
        return {**config, "UPLOAD_DECODE_CONCURRENCY": 1, "UPLOAD_DECODE_WAIT_SECONDS": 0}

    def test_an_upload_finding_every_slot_taken_is_503_and_stores_nothing(self, app, client,
                                                                          db):
        assert upload(client, picture("JPEG")).status_code == 202
        slots = app.extensions["inspiration_decode_slots"]
        assert slots.acquire(blocking=False)  # another upload is being decoded
        try:
            busy = upload(client, picture("JPEG"))
        finally:
            slots.release()
        assert busy.status_code == 503
        assert busy.get_json()["code"] == "uploads_busy"
        assert busy.headers["Retry-After"] == "5"
        assert db.widgetInspiration.count_documents({}) == 1
        assert upload(client, picture("JPEG")).status_code == 202

    def test_a_failed_decode_gives_its_slot_back(self, client):
        for _ in range(3):
            assert upload(client, b"\xff\xd8\xff" + b"junk" * 50).status_code == 415
        assert upload(client, picture("JPEG")).status_code == 202


def test_damaged_metadata_under_warnings_as_errors_is_415_never_500(client, db):
    # The same file as above with Python's -W error: Pillow's warning becomes an exception.
    damaged = jpeg_with_raw_exif([ORIENT_6, (262, 8, 4, b"\x1a\0\0\0"),
                                  (34665, 6, 100, b"\1\0\0\0"), (259, 11, 8, b"\0\0\0\x80")])
    response = upload(client, damaged)
    assert (response.status_code, response.get_json()["code"]) == (415, "unsupported_media_type")
    assert db.widgetInspiration.count_documents({}) == 0
