"""The verifier's HTTP client: one session id, a request id per call, every exchange kept."""

from __future__ import annotations

import itertools
import secrets
import time
from dataclasses import dataclass

import requests

TIMEOUT = 15  # seconds; generous, a journey call normally takes milliseconds


@dataclass
class Answer:
    """One HTTP exchange as the verifier saw it."""

    method: str
    path: str
    status: int
    headers: requests.structures.CaseInsensitiveDict
    body: object
    text: str
    ms: float
    request_id: str

    @property
    def code(self) -> str | None:
        """Return the problem code of an error answer."""
        return self.body.get("code") if isinstance(self.body, dict) else None

    def get(self, name: str, default=None):
        """Return a field of a JSON object body."""
        return self.body.get(name, default) if isinstance(self.body, dict) else default

    def summary(self) -> str:
        """Describe the answer in a few words for the proof column."""
        code = f" {self.code}" if self.code else ""
        return f"{self.method} {self.path} → {self.status}{code}"


class Client:
    """Call the API under test as one widget session would."""

    def __init__(self, base_url: str, run_id: str, session_id: str | None = None):
        self.base_url = base_url.rstrip("/")
        self.run_id = run_id
        self.session_id = session_id or f"verify{run_id}{secrets.token_hex(8)}"
        self._http = requests.Session()
        self._counter = itertools.count(1)
        self.log: list[dict] | None = None  # the current row's exchanges

    def new_request_id(self) -> str:
        """Return a request id unique to this run, echoed back by the server."""
        return f"verify-{self.run_id}-{next(self._counter):04d}"

    def call(self, method: str, path: str, *, api: bool = True, session: bool = True,
             headers: dict | None = None, log: bool = True, **kwargs) -> Answer:
        """Send one request (path under /api/concierge unless api=False) and keep it."""
        url = f"{self.base_url}{'/api/concierge' if api else ''}{path}"
        sent = {"X-Request-ID": self.new_request_id(), **(headers or {})}
        if session:
            sent.setdefault("X-Concierge-Session", self.session_id)
        started = time.perf_counter()
        # A Session is not thread-safe: calls from worker threads (log=False) use their own.
        http = self._http if log else requests
        response = http.request(method, url, headers=sent, timeout=TIMEOUT, **kwargs)
        ms = round((time.perf_counter() - started) * 1000, 1)
        try:
            body = response.json()
        except ValueError:
            body = None
        answer = Answer(method, path, response.status_code, response.headers, body,
                        response.text, ms, response.headers.get("X-Request-ID", ""))
        if log and self.log is not None:
            self.log.append({"method": method, "path": path, "status": answer.status,
                             "code": answer.code, "ms": ms, "requestId": answer.request_id})
        return answer

    def get(self, path: str, **kwargs) -> Answer:
        """GET a path."""
        return self.call("GET", path, **kwargs)

    def post(self, path: str, **kwargs) -> Answer:
        """POST a path."""
        return self.call("POST", path, **kwargs)

    def put(self, path: str, **kwargs) -> Answer:
        """PUT a path."""
        return self.call("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs) -> Answer:
        """DELETE a path."""
        return self.call("DELETE", path, **kwargs)
