"""Rows of the certificate: statuses, the checks each row records, and their outcome."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

PASS, FAIL, WARN, SKIP = "pass", "fail", "warn", "skip"
SYMBOL = {PASS: "✅", FAIL: "❌", WARN: "⚠️", SKIP: "⏭️"}
NOT_CHECKED = "MongoDB not checked: no database access (set MONGO_URI)"


class Abort(Exception):
    """Stop a row: a check failed and the rest of its journey cannot run."""


@dataclass
class Row:
    """One line of the certificate: what was proven, with figures and exchanges."""

    key: str
    area: str
    group: str  # "evidence" (the certificate's table), "confirm" (TODO-CONFIRM), "run"
    status: str = PASS
    proof: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    figures: dict = field(default_factory=dict)
    exchanges: list[dict] = field(default_factory=list)
    seconds: float = 0.0
    _started: float = field(default_factory=time.perf_counter, repr=False)

    def check(self, ok: bool, claim: str, got: object = None) -> bool:
        """Record a claim and whether it held; a false claim fails the row."""
        if ok:
            self.proof.append(claim)
        else:
            self.failures.append(claim if got is None else f"{claim} (got {got!r})")
        return bool(ok)

    def require(self, ok: bool, claim: str, got: object = None) -> None:
        """Record a claim the rest of the row depends on; stop the row when false."""
        if not self.check(ok, claim, got):
            raise Abort(claim)

    def note(self, text: str) -> None:
        """Record a fact that is neither a pass nor a failure."""
        self.proof.append(text)

    def warn(self, text: str) -> None:
        """Record something not proven: the row becomes a warning unless it failed."""
        self.warnings.append(text)

    def skip(self, text: str) -> None:
        """Mark the whole row as not run, with the reason."""
        self.status = SKIP
        self.warnings.append(text)

    def finish(self) -> Row:
        """Settle the status from the recorded checks."""
        self.seconds = round(time.perf_counter() - self._started, 3)
        if self.failures:
            self.status = FAIL
        elif self.status != SKIP and self.warnings:
            self.status = WARN
        return self

    def counts_as_failure(self, strict: bool) -> bool:
        """Tell whether this row makes the run fail (warnings and skips only with --strict)."""
        return self.status == FAIL or (strict and self.status in (WARN, SKIP))

    def as_dict(self) -> dict:
        """Return the row for the JSON report."""
        return {"key": self.key, "area": self.area, "group": self.group,
                "status": self.status, "proof": self.proof, "failures": self.failures,
                "warnings": self.warnings, "figures": self.figures,
                "seconds": self.seconds, "exchanges": self.exchanges}
