"""Inspiration metadata and images (GridFS layout, bucket inspirationImages)."""

from __future__ import annotations

from datetime import datetime

from pymongo import ReturnDocument

from ..db import get_db

BUCKET = "inspirationImages"
CHUNK_SIZE = 255 * 1024  # GridFS's default chunk size


def store_image(file_id: str, data: bytes, filename: str, content_type: str,
                metadata: dict, at: datetime) -> None:
    """Write the image as GridFS chunks then its files document.

    mongomock's gridfs does not work with this pymongo, so the documents are
    written here in the layout GridFS readers expect: chunks first, the files
    document last, so a file is only listed once it is complete.
    """
    db = get_db()
    purge_at = metadata["purgeAt"]
    chunks = [{"files_id": file_id, "n": n, "data": data[start:start + CHUNK_SIZE],
               "purgeAt": purge_at}
              for n, start in enumerate(range(0, len(data), CHUNK_SIZE))]
    if chunks:
        db[f"{BUCKET}.chunks"].insert_many(chunks)
    db[f"{BUCKET}.files"].insert_one(
        {"_id": file_id, "length": len(data), "chunkSize": CHUNK_SIZE, "uploadDate": at,
         "filename": filename, "contentType": content_type, "metadata": metadata})


def read_image(file_id: str) -> tuple[dict, bytes] | None:
    """Return the files document and the bytes of an image, or None."""
    db = get_db()
    files = db[f"{BUCKET}.files"].find_one({"_id": file_id})
    if files is None:
        return None
    chunks = db[f"{BUCKET}.chunks"].find({"files_id": file_id}).sort("n", 1)
    return files, b"".join(bytes(chunk["data"]) for chunk in chunks)


def delete_image(file_id: str) -> None:
    """Remove an image's files document and chunks."""
    db = get_db()
    db[f"{BUCKET}.files"].delete_one({"_id": file_id})
    db[f"{BUCKET}.chunks"].delete_many({"files_id": file_id})


def set_image_purge(file_id: str, purge_at: datetime, session=None) -> None:
    """Move an image's retention date with its metadata's."""
    db = get_db()
    db[f"{BUCKET}.files"].update_one({"_id": file_id},
                                     {"$set": {"metadata.purgeAt": purge_at}}, session=session)
    db[f"{BUCKET}.chunks"].update_many({"files_id": file_id},
                                       {"$set": {"purgeAt": purge_at}}, session=session)


def insert_upload(doc: dict) -> None:
    """Store an upload's metadata."""
    get_db().widgetInspiration.insert_one(doc)


def find_upload(upload_id: str) -> dict | None:
    """Return an upload's metadata."""
    return get_db().widgetInspiration.find_one({"uploadId": upload_id})


def list_by_status(status: str, limit: int) -> list[dict]:
    """Return uploads in one moderation state, oldest first."""
    return list(get_db().widgetInspiration.find({"moderationStatus": status})
                .sort("createdAt", 1).limit(limit))


def decide(upload_id: str, changes: dict, now: datetime, session=None) -> dict | None:
    """Record a moderation decision on an upload that is not past its retention."""
    return get_db().widgetInspiration.find_one_and_update(
        {"uploadId": upload_id, "purgeAt": {"$gt": now}}, {"$set": changes},
        return_document=ReturnDocument.AFTER, session=session)
