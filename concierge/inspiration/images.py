"""Recognise an image by its bytes, bound its size, and re-encode it without metadata."""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import ExifTags, Image

from ..errors import PayloadTooLarge, UnsupportedMediaType

# Format by magic bytes: never the file name or the declared content type.
CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
# EXIF orientation → the transposition that shows the picture upright.
UPRIGHT = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
           4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
           6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
           8: Image.Transpose.ROTATE_90}


@dataclass(frozen=True)
class CleanImage:
    """A re-encoded image: bytes, format, size."""

    data: bytes
    format: str
    width: int
    height: int

    @property
    def content_type(self) -> str:
        """Return the MIME type of the stored bytes."""
        return CONTENT_TYPES[self.format]


def sniff(data: bytes) -> str:
    """Return JPEG, PNG or WEBP from the leading bytes, else raise 415."""
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    raise UnsupportedMediaType("The file is not a JPEG, PNG or WebP image.")


def _not_an_image() -> UnsupportedMediaType:
    return UnsupportedMediaType("The file is not a readable JPEG, PNG or WebP image.")


def _too_many_pixels(max_pixels: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"The image has more than {max_pixels:,} pixels.",
                           code="payload_too_large", maxPixels=max_pixels)


def _open(data: bytes, fmt: str, max_pixels: int) -> Image.Image:
    """Open lazily (header only) and refuse too many pixels before any decoding."""
    try:
        image = Image.open(io.BytesIO(data), formats=[fmt])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow's own bomb guard (an error, or a warning made an error) fired
        # on the declared size alone: far beyond our limit anyway.
        raise _too_many_pixels(max_pixels) from None
    except (OSError, ValueError, SyntaxError, Warning):
        # Warning: Pillow warns about damaged metadata; under `-W error` that is raised.
        raise _not_an_image() from None
    width, height = image.size
    if width * height > max_pixels:
        image.close()
        raise _too_many_pixels(max_pixels)
    return image


def sanitise(data: bytes, max_pixels: int, max_edge: int) -> CleanImage:
    """Check the file is an intact image and re-encode its pixels only, at most max_edge wide.

    verify() checks the file's structure but leaves the image unusable, so
    the bytes are opened again to decode. A JPEG is decoded straight at a
    reduced scale (draft) when it is larger than what is kept, so its full
    size never sits in memory. Saving without exif=/xmp= and with an emptied
    info dict drops EXIF (GPS included), XMP and text chunks; the EXIF
    orientation is applied to the pixels first so the picture still shows
    upright. Animated files keep their first frame.
    """
    fmt = sniff(data)
    with _open(data, fmt, max_pixels) as image:
        try:
            image.verify()
        except Exception:  # noqa: BLE001 - Pillow raises many types for a bad file
            raise _not_an_image() from None
    with _open(data, fmt, max_pixels) as image:
        orientation = _orientation(image)
        try:
            image.draft(None, (max_edge, max_edge))  # JPEG: decode at 1/2, 1/4 or 1/8 scale
            # reducing_gap=1: box-reduce by a whole factor first, in one pass, then resample
            # the small rest; the default (2) resamples twice as many pixels.
            image.thumbnail((max_edge, max_edge), reducing_gap=1.0)
            upright = image.transpose(UPRIGHT[orientation]) if orientation in UPRIGHT \
                else image.copy()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels(max_pixels) from None
        except (OSError, ValueError, SyntaxError, EOFError, Warning):
            raise _not_an_image() from None
        icc = image.info.get("icc_profile")
        transparency = image.info.get("transparency")
    return _encode(upright, fmt, icc, transparency)


def _orientation(image: Image.Image) -> int:
    """Return the EXIF orientation, 1 when there is none or the EXIF cannot be read.

    Not ImageOps.exif_transpose: it rewrites the EXIF it keeps, and malformed
    EXIF makes that raise almost any exception. The EXIF is dropped anyway.
    """
    try:
        value = image.getexif().get(ExifTags.Base.Orientation, 1)
    except Exception:  # noqa: BLE001 - Pillow's EXIF parser raises many types on bad data
        return 1
    return value if isinstance(value, int) else 1


def _encode(image: Image.Image, fmt: str, icc: bytes | None, transparency) -> CleanImage:
    image.info = {}
    options: dict = {}
    if icc:
        options["icc_profile"] = icc  # colour, not personal data: kept
    if fmt == "JPEG":
        if image.mode not in {"L", "RGB", "CMYK"}:
            image = image.convert("RGB")
        options.update(quality=90, optimize=True)
    elif fmt == "PNG":
        if transparency is not None:
            options["transparency"] = transparency
        options["optimize"] = True
    else:
        if image.mode not in {"RGB", "RGBA"}:
            image = image.convert("RGBA" if image.has_transparency_data else "RGB")
        options.update(quality=90, method=4)
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return CleanImage(out.getvalue(), fmt, image.width, image.height)
