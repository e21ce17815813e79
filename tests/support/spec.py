"""Read what the OpenAPI document says an operation answers."""

from __future__ import annotations

API = "/api/concierge"


def documented_errors(spec: dict, method: str, path: str) -> set[tuple[int, str]]:
    """Return the (status, code) pairs documented for one operation, all problem+json."""
    responses = spec["paths"][API + path][method]["responses"]
    pairs = set()
    for status, response in responses.items():
        if "application/problem+json" in response.get("content", {}):
            description = response["description"]
            pairs |= {(int(status), code.strip("`")) for code in description.split()
                      if code.startswith("`")}
    return pairs
