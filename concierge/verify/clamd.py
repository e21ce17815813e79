"""Run Debian's real clamd locally with the project's one test signature (tests, verify).

Official ClamAV signatures cannot be downloaded here, so the database holds a
single signature matching the EICAR test string anywhere in a stream. That
proves the pipeline (upload → clamd INSTREAM → verdict → refusal), not
detection coverage. The app never imports this module.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import socket
import struct
import subprocess
import tempfile
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from PIL import Image

CLAMD = Path("/usr/sbin/clamd")
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
SIGNATURE = "Aurora.Test.EICAR"
# clamd names signatures from a local database "<name>.UNOFFICIAL".
FOUND = f"{SIGNATURE}.UNOFFICIAL"
DATABASE = (f"the project's one test signature ({SIGNATURE}: the EICAR test string), "
            "not ClamAV's official signatures")
INSTALL_HINT = "install Debian's clamav-daemon (make test does)"
START_TIMEOUT = 60.0  # seconds; loading one signature normally takes well under one


class ClamdMissing(RuntimeError):
    """The clamd binary is not installed."""


def available() -> bool:
    """Tell whether Debian's clamd binary is installed."""
    return CLAMD.is_file() and os.access(CLAMD, os.X_OK)


def signature_line() -> str:
    """Return the .ndb line matching the EICAR string at any offset of any file."""
    assert len(EICAR) == 68  # noqa: S101 - the standard string, byte for byte
    return f"{SIGNATURE}:0:*:{EICAR.hex()}\n"


def ask(url: str, command: str, timeout: float = 5.0) -> str:
    """Send a z-command (PING, VERSION) to clamd and return its answer."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        address: object = parts.path
    elif parts.scheme == "tcp" and parts.hostname and parts.port:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        address = (parts.hostname, parts.port)
    else:
        raise ValueError(f"unsupported clamd URL {url!r} (tcp://host:port or unix:///path)")
    with sock:
        sock.connect(address)
        sock.sendall(f"z{command}\0".encode())
        reply = b""
        while not reply.endswith(b"\0") and len(reply) < 4096:
            part = sock.recv(4096)
            if not part:
                break
            reply += part
    return reply.rstrip(b"\0").decode("utf-8", "replace").strip()


def version(url: str) -> str:
    """Return clamd's zVERSION answer, e.g. 'ClamAV 1.4.3' (plus the database version)."""
    return ask(url, "VERSION")


def _config(directory: Path) -> str:
    lines = [f"DatabaseDirectory {directory / 'db'}", f"LocalSocket {directory / 'clamd.sock'}",
             "Foreground yes", f"LogFile {directory / 'clamd.log'}",
             f"PidFile {directory / 'clamd.pid'}", f"TemporaryDirectory {directory}",
             "StreamMaxLength 10M"]
    if os.geteuid() == 0:
        lines.append("User root")  # otherwise clamd drops to the clamav user
    return "\n".join(lines) + "\n"


def _wait_ready(url: str, process: subprocess.Popen, directory: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"clamd exited with {process.returncode}:\n{_log(directory)}")
        with contextlib.suppress(OSError):
            if ask(url, "PING", timeout=1) == "PONG":
                return
        if time.monotonic() > deadline:
            raise RuntimeError(f"clamd did not answer PING in {START_TIMEOUT:.0f} s:\n"
                               f"{_log(directory)}")
        time.sleep(0.05)


def _log(directory: Path) -> str:
    text = "".join(path.read_text(errors="replace") for name in ("clamd.out", "clamd.log")
                   if (path := directory / name).exists())
    return text[-3000:]


@contextlib.contextmanager
def local_clamd(directory: Path | None = None) -> Iterator[str]:
    """Run clamd on a Unix socket with the one-signature database; yield its unix:// URL.

    Raises ClamdMissing (saying how to install it) when /usr/sbin/clamd is absent.
    Without `directory` a private temporary one is made and removed afterwards.
    """
    if not available():
        raise ClamdMissing(f"{CLAMD} not found: {INSTALL_HINT}")
    own = directory is None
    # A short path: a Unix socket's path is limited to about 100 bytes.
    directory = Path(tempfile.mkdtemp(prefix="clamd-")) if own else Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "db").mkdir(exist_ok=True)
    (directory / "db" / "aurora-test.ndb").write_text(signature_line())
    conf = directory / "clamd.conf"
    conf.write_text(_config(directory))
    url = f"unix://{directory / 'clamd.sock'}"
    with (directory / "clamd.out").open("wb") as out:
        process = subprocess.Popen([str(CLAMD), "-c", str(conf)],  # noqa: S603 - fixed binary
                                   stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)  # no terminal signals from make
    try:
        _wait_ready(url, process, directory)
        yield url
    finally:
        _stop(process)
        if own:
            shutil.rmtree(directory, ignore_errors=True)


def _stop(process: subprocess.Popen) -> None:
    """Stop clamd (SIGTERM, then SIGKILL after 10 s) and reap it."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _chunk(kind: bytes, body: bytes) -> bytes:
    return (struct.pack(">I", len(body)) + kind + body
            + struct.pack(">I", zlib.crc32(kind + body)))


def eicar_png(size: tuple[int, int] = (32, 24)) -> bytes:
    """Return a valid PNG whose tEXt chunk carries the EICAR test string.

    It passes the magic-byte check and decodes, so only the scanner can refuse it.
    """
    out = io.BytesIO()
    Image.new("RGB", size, (30, 110, 160)).save(out, "PNG")
    png = out.getvalue()
    end = png.rindex(b"IEND") - 4  # before the IEND chunk's length field
    return png[:end] + _chunk(b"tEXt", b"Comment\0" + EICAR) + png[end:]
