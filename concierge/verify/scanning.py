"""The upload scanning row: which scanner ran, and what it lets through or refuses."""

from __future__ import annotations

from . import clamd
from .context import Context
from .rows import Row

# What each scanStatus means for the row; anything else is reported as seen.
SCANNED = {"clean"}
NOT_SCANNED = {"not_configured", "skipped", "unscanned", "disabled", "not_scanned"}
STORED = ("widgetInspiration", "inspirationImages.files", "inspirationImages.chunks")
PRODUCTION = ("this proves the pipeline (upload → clamd INSTREAM → verdict → refusal), not "
              "detection coverage: run clamd with the official ClamAV signatures (freshclam) "
              "in production")


def upload_scanning(ctx: Context, row: Row) -> None:
    """Measure the scanner the verifier gave the app; else report the answers' scanStatus."""
    upload = ctx.state.get("upload")
    row.require(bool(upload), "the inspiration row produced an upload")
    status = upload.get("scanStatus")
    row.figures["scanStatus"] = status
    db = ctx.db(row)
    document = ctx.state.get("upload_document")
    if db is not None and document is not None:
        row.check(document.get("scanStatus") == status,
                  f"DB widgetInspiration.scanStatus = {document.get('scanStatus')!r}",
                  document.get("scanStatus"))
    scanner = ctx.state.get("scanner") or {}
    if scanner.get("url"):
        _pipeline(ctx, row, scanner, status, db)
        return
    if scanner.get("error"):
        row.warn(f"the local clamd did not start: {scanner['error'][:300]}")
    if status in SCANNED:
        row.note(f"the server reports a scan: scanStatus {status!r} (clamd INSTREAM at its "
                 "CONCIERGE_CLAMD_URL); its ClamAV version and signatures are not visible "
                 "over HTTP")
    elif status in NOT_SCANNED:
        row.warn(f"no malware scanner configured: scanStatus {status!r}. Set "
                 "CONCIERGE_CLAMD_URL (clamd INSTREAM) in production and re-run")
    else:
        row.check(False, "scanStatus is a known value", status)


def _pipeline(ctx: Context, row: Row, scanner: dict, status: str, db) -> None:
    """Ask clamd its version; a clean sample passes; an EICAR-bearing PNG is refused, unkept."""
    url = scanner["url"]
    try:
        version = clamd.version(url)
    except (OSError, ValueError) as error:
        version = f"no answer: {error}"
    row.figures["scanner"] = {"version": version, "url": url, "database": scanner["database"]}
    row.check(version.startswith("ClamAV "), f"scanner: {version} (clamd zVERSION at {url})",
              version)
    row.check(status == "clean", "clean sample (the inspiration row's JPEG) → scanStatus "
              "'clean'", status)
    before = _stored(db)
    caption = f"verify {ctx.run_id}: EICAR test file"
    infected = ctx.client.post("/inspiration",
                               files={"image": ("look.png", clamd.eicar_png(), "image/png")},
                               data={"caption": caption, "consent": "true"})
    row.check(infected.status == 422 and infected.code == "upload_rejected",
              "a valid PNG carrying the EICAR test string (tEXt chunk) → 422 upload_rejected",
              infected.summary())
    if db is not None:
        after = _stored(db)
        kept = db.count("widgetInspiration", {"caption": caption})
        row.check(after == before and kept == 0,
                  "DB: nothing stored for it (no widgetInspiration document with its caption; "
                  "widgetInspiration, inspirationImages.files and .chunks counts unchanged: "
                  f"{', '.join(str(n) for n in after.values())})", {"before": before,
                                                                   "after": after})
    row.note(f"signature database: {scanner['database']}"
             + (f"; {PRODUCTION}" if scanner.get("local") else ""))


def _stored(db) -> dict | None:
    return None if db is None else {name: db.count(name, {}) for name in STORED}
