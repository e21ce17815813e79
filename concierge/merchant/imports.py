"""Import files in batches: straight into MongoDB or through a running server's API."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import requests

from ..api import MAX_JSON_DEPTH, deeper_than
from . import service, shopify
from .schemas import MAX_BATCH
from .shopify import Line

log = logging.getLogger(__name__)

KEYS = {"products": "sku", "orders": "orderNumber"}
TIMEOUT = (5, 120)  # connect, read: a batch of 500 is written in well under that
RETRIES = 5


class ImportRefused(Exception):
    """The import cannot run at all (bad file, unreachable server, refused key)."""


@dataclass
class Summary:
    """What an import did: counts and each rejected line with its reason."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(
        ("created", "updated", "unchanged", "rejected", "skipped"), 0))
    rejected: list[tuple[int, str]] = field(default_factory=list)

    def reject(self, number: int, reason: str) -> None:
        """Count a rejected line."""
        self.counts["rejected"] += 1
        self.rejected.append((number, reason))


def read_jsonl(lines: Iterable[str]) -> list[Line]:
    """Read JSON Lines: one API body per non-blank line."""
    records = []
    too_deep = f"nests arrays and objects deeper than {MAX_JSON_DEPTH} levels"
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            body = json.loads(text)
        except RecursionError:  # deeper than the parser itself can go
            records.append(Line(number, error=too_deep))
            continue
        except ValueError as error:
            records.append(Line(number, error=f"not valid JSON: {error}"))
            continue
        if deeper_than(body, MAX_JSON_DEPTH):  # as the API refuses such a body
            records.append(Line(number, error=too_deep))
        elif isinstance(body, dict):
            records.append(Line(number, body=body))
        else:
            records.append(Line(number, error="not a JSON object"))
    return records


def read_file(kind: str, path: Path, fmt: str = "auto", currency: str = "USD",
              store_url: str | None = None) -> list[Line]:
    """Read an import file into lines; products may be a Shopify CSV or JSON Lines."""
    if fmt == "auto":
        fmt = "shopify" if path.suffix.lower() == ".csv" else "jsonl"
    if kind == "orders" and fmt != "jsonl":
        raise ImportRefused("Orders are imported from JSON Lines (one order per line).")
    try:
        with path.open(encoding="utf-8-sig", newline="") as stream:
            if fmt == "shopify":
                return list(shopify.read(stream, currency, store_url))
            return read_jsonl(stream)
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise ImportRefused(f"Cannot read {path}: {error}") from None


def direct(kind: str, bodies: list[dict]) -> list[dict]:
    """Write a batch straight into the database (MONGO_URI, or the embedded store)."""
    return service.save(kind, bodies)


def through_api(url: str, key: str) -> Callable[[str, list[dict]], list[dict]]:
    """Return a writer that posts each batch to a running server's merchant API."""
    session = requests.Session()
    session.headers.update({"Authorization": f"Bearer {key}"})
    endpoint = url.rstrip("/") + "/api/concierge/merchant/{kind}/batch"

    def write(kind: str, bodies: list[dict]) -> list[dict]:
        for _ in range(RETRIES):
            try:
                answer = session.post(endpoint.format(kind=kind), json={kind: bodies},
                                      timeout=TIMEOUT)
            except requests.RequestException as error:
                raise ImportRefused(f"Cannot reach {url}: {error}") from None
            if answer.status_code not in (429, 503):
                break
            time.sleep(min(int(answer.headers.get("Retry-After", "5")), 60))
        if answer.status_code != 200:
            raise ImportRefused(f"{url} answered {answer.status_code}: "
                                f"{_problem(answer)}")
        return answer.json()["results"]
    return write


def _problem(answer: requests.Response) -> str:
    try:
        body = answer.json()
    except ValueError:
        return answer.text[:200]
    return body.get("detail") or body.get("title") or str(body)[:200]


def reason(result: dict) -> str:
    """Say why an element was rejected, field by field."""
    return "; ".join(f"{name}: {' '.join(messages)}"
                     for name, messages in sorted(result.get("errors", {}).items()))


def run(kind: str, lines: list[Line], write, progress=None) -> Summary:
    """Send the readable lines in batches of 500; count every outcome."""
    summary = Summary()
    ready = []
    for line in lines:
        if line.skipped:
            summary.counts["skipped"] += 1
        elif line.error:
            summary.reject(line.number, line.error)
        else:
            ready.append(line)
    for start in range(0, len(ready), MAX_BATCH):
        batch = ready[start:start + MAX_BATCH]
        for line, result in zip(batch, write(kind, [line.body for line in batch]),
                                strict=True):
            if result["status"] == "rejected":
                name = result.get(KEYS[kind]) or "?"
                summary.reject(line.number, f"{name}: {reason(result)}")
            else:
                summary.counts[result["status"]] += 1
        if progress is not None:
            progress(len(batch))
    summary.rejected.sort()
    return summary


def import_on_start(settings) -> None:
    """Import CONCIERGE_CATALOG_FILE and CONCIERGE_ORDERS_FILE into the embedded store."""
    for kind, name in (("products", settings.CONCIERGE_CATALOG_FILE),
                       ("orders", settings.CONCIERGE_ORDERS_FILE)):
        if not name:
            continue
        try:
            summary = run(kind, read_file(kind, Path(name), currency=settings.CONCIERGE_CURRENCY),
                          direct)
        except ImportRefused as error:
            log.error("start-up import of %s skipped: %s", kind, error)
            continue
        for number, why in summary.rejected:
            log.warning("start-up import of %s: line %d rejected: %s", kind, number, why)
        log.info("start-up import of %s from %s: %s", kind, name, summary.counts,
                 extra={"fields": {"import": kind, **summary.counts}})
