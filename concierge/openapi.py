"""Generate the OpenAPI document from the views' marshmallow schemas."""

from __future__ import annotations

import re
from importlib.metadata import PackageNotFoundError, version

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask
from marshmallow import Schema, fields

from .api import apidoc
from .errors import HTTP_CODES


class ProblemSchema(Schema):
    """RFC 9457 problem details, as every error answers."""

    type = fields.String(metadata={"example": "about:blank"})
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    code = fields.String(required=True, metadata={"example": "validation_error"})
    detail = fields.String()
    requestId = fields.String(required=True)
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()),
                         metadata={"description": "Per-field messages (422 only)."})


COMMON_HEADERS = {
    "X-Concierge-Session": {"required": False, "description": "The widget's visitor id.",
                            "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{16,64}$"}},
    "X-Request-ID": {"required": False, "description": "Echoed when well-formed.",
                     "schema": {"type": "string", "pattern": "^[A-Za-z0-9._-]{8,128}$"}},
}
ALWAYS = [(429, "rate_limited"), (500, "internal_error"), (503, "database_unavailable")]
BODY_ERRORS = [(400, "malformed_json"), (415, "unsupported_media_type"),
               (422, "validation_error")]


def app_version() -> str:
    """Return the installed package version."""
    try:
        return version("aurora-concierge")
    except PackageNotFoundError:
        return "0.0.0+local"


def _path(rule: str) -> str:
    return re.sub(r"<(?:[a-z]+:)?([A-Za-z_]+)>", r"{\1}", rule)


def _operation(rule, method: str, doc: dict, config) -> dict:
    op: dict = {"tags": list(doc.get("tags") or ()), "responses": {}}
    if doc.get("summary"):
        op["summary"] = doc["summary"]
    if doc.get("limits"):
        op["x-rate-limits"] = [{"limit": config[setting], "per": per, "setting": setting}
                               for setting, per in doc["limits"]]
        op["description"] = "Rate limits: " + "; ".join(
            f"{config[setting]} {per} (`{setting}`)" for setting, per in doc["limits"]) + "."
    params = [{"in": "path", "name": arg, "required": True, "schema": {"type": "string"}}
              for arg in sorted(rule.arguments)]
    headers = {**COMMON_HEADERS, **(doc.get("headers") or {})}
    params += [{"in": "header", "name": name, **spec} for name, spec in headers.items()]
    if doc.get("query"):
        params.append({"in": "query", "schema": doc["query"]})
    op["parameters"] = params
    if doc.get("body") and method in {"post", "put", "patch"}:
        op["requestBody"] = {"required": True,
                             "content": {"application/json": {"schema": doc["body"]}}}
    if doc.get("multipart"):
        op["requestBody"] = {"required": True,
                             "content": {"multipart/form-data": {"schema": doc["multipart"]}}}
    for status, (schema, description) in doc["responses"].items():
        entry: dict = {"description": description or "OK"}
        if schema is not None:
            entry["content"] = {"application/json": {"schema": schema}}
        op["responses"][str(status)] = entry
    errors = list(doc["errors"]) + ALWAYS
    if doc.get("body"):
        errors += BODY_ERRORS
    elif doc.get("query"):
        errors.append((422, "validation_error"))
    by_status: dict[int, list[str]] = {}
    for status, code in errors:
        by_status.setdefault(status, [])
        if code not in by_status[status]:
            by_status[status].append(code)
    for status, codes in sorted(by_status.items()):
        op["responses"][str(status)] = {
            "description": f"{HTTP_CODES.get(status, ('', 'Error'))[1]}: code "
                           + " or ".join(f"`{c}`" for c in codes),
            "content": {"application/problem+json": {"schema": "Problem"}},
        }
    return op


def build_spec(app: Flask) -> dict:
    """Return the OpenAPI 3 document of every documented endpoint."""
    spec = APISpec(
        title="Aurora Concierge API", version=app_version(), openapi_version="3.0.3",
        plugins=[MarshmallowPlugin()],
        info={"description": "Storefront concierge JSON API. Errors are RFC 9457 "
                             "problem details (application/problem+json)."},
        servers=[{"url": "/"}],
    )
    spec.components.schema("Problem", schema=ProblemSchema)
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        doc = apidoc(app.view_functions[rule.endpoint])
        if doc is None:
            continue
        methods = sorted(m.lower() for m in rule.methods - {"HEAD", "OPTIONS"})
        spec.path(path=_path(rule.rule),
                  operations={m: _operation(rule, m, doc, app.config) for m in methods})
    return spec.to_dict()
