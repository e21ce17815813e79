"""POST /inspiration (multipart upload)."""

from __future__ import annotations

import io

from flask import Blueprint, current_app, request
from marshmallow import ValidationError
from werkzeug.formparser import FormDataParser

from .. import api, events, limits
from ..errors import UnsupportedMediaType
from ..flags import require_enabled
from . import service
from .schemas import UPLOAD_MULTIPART, UploadFormSchema, UploadSchema

bp = Blueprint("inspiration", __name__, url_prefix="/api/concierge")
bp.before_request(require_enabled)


def _in_memory(*args, **kwargs) -> io.BytesIO:
    return io.BytesIO()


def _parts():
    """Parse the multipart body, holding file parts in memory.

    request.stream enforces MAX_CONTENT_LENGTH (413), chunked bodies
    included, so memory stays bounded; Werkzeug's default temporary files
    would be left open when that 413 interrupts the parsing.
    """
    parser = FormDataParser(stream_factory=_in_memory,
                            max_form_memory_size=request.max_form_memory_size,
                            max_form_parts=request.max_form_parts)
    _, form, files = parser.parse(request.stream, request.mimetype,
                                  request.content_length, request.mimetype_params)
    return form, files


def read_upload() -> tuple[dict, bytes]:
    """Return the validated text parts and the image bytes of the multipart body."""
    if request.mimetype != "multipart/form-data":
        raise UnsupportedMediaType("Send multipart/form-data with an `image` part "
                                   f"(got {request.mimetype or 'no type'}).")
    form_parts, files = _parts()
    values = form_parts.to_dict()
    errors: dict = {}
    try:
        form = UploadFormSchema().load(values)
    except ValidationError as error:
        errors.update(error.messages)
    for name in set(files) - {"image"}:
        errors[name] = ["Unknown field."]
    image = files.get("image")
    if image is None:
        errors["image"] = ["Missing data for required field."]
    if errors:
        raise ValidationError(errors)
    # One byte over the limit is enough to refuse it, without reading more.
    return form, image.stream.read(current_app.config["MAX_IMAGE_BYTES"] + 1)


@bp.post("/inspiration")
@limits.uploads
@api.documents((413, "payload_too_large"), (415, "unsupported_media_type"),
               (422, "validation_error"), (422, "upload_rejected"),
               (503, "scanner_unavailable"), (503, "uploads_busy"), (503, "concierge_disabled"),
               tags=("inspiration",), multipart=UPLOAD_MULTIPART,
               summary="Share an inspiration picture (kept for moderation)")
@api.responds(202, UploadSchema, "Accepted; waits for moderation")
def upload():
    """Accept a picture: checked, scanned, re-encoded, stored for review."""
    form, data = read_upload()
    doc = service.accept(data, form["caption"])
    events.record("aurora_inspiration_uploaded", uploadId=doc["uploadId"],
                  contentType=doc["contentType"], scanStatus=doc["scanStatus"])
    return doc, 202
