"""The Postman collection covers every endpoint, each with tests."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

POSTMAN = Path(__file__).resolve().parents[2] / "docs" / "postman"
COLLECTION = json.loads((POSTMAN / "aurora-concierge.postman_collection.json").read_text())
PAGES = {("GET", "/widget"), ("GET", "/demo"), ("GET", "/static/aurora-embed.js"),
         ("GET", "/api/concierge/openapi.json")}


def _requests() -> list[dict]:
    return [item for folder in COLLECTION["item"] for item in folder["item"]]


def _shape(path: str) -> str:
    """Blank path parameters: {sku} in the spec and {{sku}} in the collection alike."""
    return re.sub(r"\{\{?[^/}]+\}?\}", "{}", path)


def _covered() -> set[tuple[str, str]]:
    return {(r["request"]["method"], _shape("/" + "/".join(r["request"]["url"]["path"])))
            for r in _requests()}


def test_the_collection_is_postman_v2_1_with_a_base_url_variable():
    assert COLLECTION["info"]["schema"].endswith("/collection/v2.1.0/collection.json")
    assert "baseUrl" in {v["key"] for v in COLLECTION["variable"]}
    assert all(r["request"]["url"]["raw"].startswith("{{baseUrl}}/") for r in _requests())


def test_every_operation_of_the_openapi_document_has_a_request(client):
    spec = client.get("/api/concierge/openapi.json").get_json()
    operations = {(method.upper(), _shape(path)) for path, item in spec["paths"].items()
                  for method in item if method in {"get", "post", "put", "delete", "patch"}}
    assert operations - _covered() == set()
    assert PAGES - _covered() == set()


@pytest.mark.parametrize("request_item", _requests(), ids=lambda r: r["name"])
def test_every_request_checks_its_status(request_item):
    tests = "\n".join(line for event in request_item["event"] if event["listen"] == "test"
                      for line in event["script"]["exec"])
    assert "pm.test(" in tests
    assert re.search(r"have\.status\(\d{3}\)|response\.code", tests)


def test_uploads_use_files_committed_next_to_the_collection():
    sources = [field["src"] for r in _requests() if r["request"].get("body", {}).get(
        "mode") == "formdata" for field in r["request"]["body"]["formdata"]
        if field["type"] == "file"]
    assert sources
    assert all((POSTMAN / src).is_file() for src in sources)
