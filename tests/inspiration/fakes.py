"""Image makers and a fake clamd for the inspiration tests."""

from __future__ import annotations

import io
import socket
import struct
import threading
import zlib

from PIL import ExifTags, Image

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def picture(fmt: str = "PNG", size=(64, 48), **save) -> bytes:
    """Return a small encoded picture."""
    out = io.BytesIO()
    Image.new("RGB", size, (200, 40, 90)).save(out, fmt, **save)
    return out.getvalue()


def jpeg_with_gps(orientation: int | None = None) -> bytes:
    """Return a JPEG whose EXIF carries a camera make and a GPS position."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "AuroraCam"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 30.0, 26.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (0.0, 7.0, 39.0)
    return picture("JPEG", exif=exif.tobytes())


def jpeg_with_raw_exif(entries: list[tuple[int, int, int, bytes]], size=(64, 48)) -> bytes:
    """Return a JPEG whose EXIF is one hand-written IFD of (tag, type, count, value) entries."""
    ifd = struct.pack("<H", len(entries)) + b"".join(
        struct.pack("<HHI", tag, kind, count) + value for tag, kind, count, value in entries)
    tiff = b"II*\x00" + struct.pack("<I", 8) + ifd + struct.pack("<I", 0)
    return picture("JPEG", size=size, exif=b"Exif\x00\x00" + tiff)


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(
        ">I", zlib.crc32(kind + body))


def png_declaring(width: int, height: int) -> bytes:
    """Return a tiny PNG whose header declares a huge size (a decompression bomb)."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(b"\0" * 1024)) + _chunk(b"IEND", b""))


def _read_exact(conn: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        part = conn.recv(size - len(data))
        if not part:
            raise ConnectionError("client went away")
        data += part
    return data


class FakeClamd:
    """A clamd that speaks INSTREAM and answers `reply` (None: never answers)."""

    def __init__(self, reply: str | None, family=socket.AF_INET, path: str | None = None):
        self.reply, self.received = reply, []
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        self.sock.bind(path or ("127.0.0.1", 0))
        self.sock.listen(8)
        self.url = (f"unix://{path}" if path else
                    f"tcp://127.0.0.1:{self.sock.getsockname()[1]}")
        self._stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                try:
                    command = _read_exact(conn, len(b"zINSTREAM\0"))
                    data = b""
                    while size := struct.unpack(">I", _read_exact(conn, 4))[0]:
                        data += _read_exact(conn, size)
                except ConnectionError:
                    continue
                self.received.append((command, data))
                if self.reply is None:
                    self._stop.wait(5)
                    continue
                conn.sendall(f"stream: {self.reply}\0".encode())

    def close(self) -> None:
        """Stop listening."""
        self._stop.set()
        self.sock.close()
