"""What every row of one verification run shares."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ..config import Config
from .http import Answer, Client
from .rows import NOT_CHECKED, Row


@dataclass
class Context:
    """The client, the document reader, settings and what earlier rows produced."""

    client: Client
    documents: object | None  # Documents | ProbeDocuments | None
    config: Config
    report_dir: Path
    target: str
    run_id: str
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    state: dict = field(default_factory=dict)
    journey_requests: list[dict] = field(default_factory=list)

    def db(self, row: Row):
        """Return the document reader, or None after marking the row 'not checked'."""
        if self.documents is None:
            row.warn(NOT_CHECKED)
        return self.documents

    def expect_event(self, answer: Answer, area: str, name: str | None = None) -> None:
        """Remember a journey call whose server-side aurora_* event the analytics row checks."""
        if answer.request_id:
            self.journey_requests.append({"area": area, "requestId": answer.request_id,
                                          "name": name, "path": answer.path})

    def email(self, purpose: str) -> str:
        """Return an address unique to this run (so reruns never collide)."""
        return f"verify-{self.run_id}-{purpose}@example.com"
