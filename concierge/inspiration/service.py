"""Accept inspiration uploads and moderate them."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from flask import current_app, g

from .. import metrics, outbox
from ..clock import now
from ..db import Transaction, get_db, get_store
from ..errors import NotFound, PayloadTooLarge, ServiceUnavailable, Unprocessable
from ..ids import new_public_id
from . import images, repository, scanner

log = logging.getLogger(__name__)


class UploadNotFound(NotFound):
    """No (unexpired) upload has this id."""

    code, title = "upload_not_found", "Upload not found"

    def __init__(self):
        super().__init__("No upload has this id.")


_slots_lock = threading.Lock()


def _decode_slots() -> threading.BoundedSemaphore:
    """Return this app's semaphore bounding the images decoded at once in this process."""
    with _slots_lock:
        return current_app.extensions.setdefault(
            "inspiration_decode_slots",
            threading.BoundedSemaphore(current_app.config["UPLOAD_DECODE_CONCURRENCY"]))


def _sanitise(data: bytes):
    """Decode and re-encode within a slot: decoding is what costs CPU and memory."""
    slots = _decode_slots()
    if not slots.acquire(timeout=current_app.config["UPLOAD_DECODE_WAIT_SECONDS"]):
        raise ServiceUnavailable("Too many pictures are being processed; try again shortly.",
                                 code="uploads_busy", title="Uploads busy",
                                 headers={"Retry-After": "5"})
    try:
        return images.sanitise(data, current_app.config["MAX_IMAGE_PIXELS"],
                               current_app.config["MAX_IMAGE_EDGE"])
    finally:
        slots.release()


def _retention(key: str) -> timedelta:
    return timedelta(days=current_app.config["RETENTION_DAYS"][key])


def _scan(data: bytes) -> str:
    """Return the scan status; refuse infected files; never pass silently."""
    url = current_app.config["CONCIERGE_CLAMD_URL"]
    if not url:
        metrics.UPLOAD_SCANS.labels(outcome="not_configured").inc()
        return "not_configured"
    try:
        result = scanner.scan(url, data)
    except scanner.ScannerUnavailable:
        metrics.UPLOAD_SCANS.labels(outcome="unavailable").inc()
        raise ServiceUnavailable(
            "The malware scanner is not answering, so the upload cannot be checked. "
            "Try again shortly.", code="scanner_unavailable",
            title="Scanner unavailable", headers={"Retry-After": "30"}) from None
    metrics.UPLOAD_SCANS.labels(outcome="clean" if result.clean else "infected").inc()
    if not result.clean:
        log.warning("upload rejected by clamd: %s", result.signature)
        raise Unprocessable("The file was rejected by the malware scanner.",
                            code="upload_rejected", title="Upload rejected")
    return "clean"


def accept(data: bytes, caption: str) -> dict:
    """Check, scan, clean and store an uploaded image; return its metadata."""
    limit = current_app.config["MAX_IMAGE_BYTES"]
    if len(data) > limit:
        raise PayloadTooLarge(f"The image is larger than {limit:,} bytes.", maxBytes=limit)
    images.sniff(data)  # cheap refusal of non-images before the scanner and the decoder
    scan_status = _scan(data)
    clean = _sanitise(data)
    at = now()
    upload_id = new_public_id()
    purge_at = at + _retention("widgetInspirationPending")
    extension = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}[clean.format]
    repository.store_image(upload_id, clean.data, f"{upload_id}.{extension}",
                           clean.content_type, {"uploadId": upload_id, "purgeAt": purge_at},
                           at)
    doc = {"uploadId": upload_id, "imageFileId": upload_id,
           "moderationStatus": "pending_review", "scanStatus": scan_status,
           "caption": caption, "consent": True, "width": clean.width,
           "height": clean.height, "contentType": clean.content_type,
           "bytes": len(clean.data), "originalBytes": len(data),
           "sessionId": g.get("session_id"), "requestId": g.get("request_id"),
           "createdAt": at, "purgeAt": purge_at}
    try:
        repository.insert_upload(doc)
    except BaseException:
        repository.delete_image(upload_id)  # no image without its metadata
        raise
    outbox.enqueue(get_db(), "inspiration.submitted",
                   {name: doc[name] for name in ("uploadId", "caption", "scanStatus",
                                                 "width", "height")})
    return doc


def queue(status: str, limit: int) -> list[dict]:
    """Return uploads in one moderation state that are still retained."""
    at = now()
    # TTL deletion is lazy: a document past its purgeAt is treated as gone.
    return [_with_url(doc) for doc in repository.list_by_status(status, limit)
            if doc["purgeAt"] > at]


def decide(upload_id: str, decision: str, note: str | None) -> dict:
    """Approve or reject an upload; its retention restarts from the decision."""
    at = now()
    kept = "widgetInspirationApproved" if decision == "approved" \
        else "widgetInspirationPending"
    purge_at = at + _retention(kept)

    def record(transaction: Transaction) -> dict:
        # The metadata and the image's chunks keep one purge date: both or neither.
        # Without a transaction (a standalone MongoDB), deciding again repairs a half.
        doc = repository.decide(upload_id, {"moderationStatus": decision, "decidedAt": at,
                                            "decisionNote": note, "purgeAt": purge_at}, at,
                                transaction.session)
        if doc is None:
            raise UploadNotFound()
        repository.set_image_purge(doc["imageFileId"], purge_at, transaction.session)
        return doc

    return _with_url(get_store().run_transaction(record))


def image(upload_id: str) -> tuple[str, bytes]:
    """Return the content type and bytes of an upload's stored image."""
    doc = repository.find_upload(upload_id)
    stored = repository.read_image(doc["imageFileId"]) if doc else None
    if doc is None or stored is None or doc["purgeAt"] <= now():
        raise UploadNotFound()
    files, data = stored
    return files["contentType"], data


def _with_url(doc: dict) -> dict:
    return {**doc, "imageUrl": f"/api/concierge/admin/inspiration/{doc['uploadId']}/image"}
