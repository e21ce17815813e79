"""Generate the OpenAPI document from the views' marshmallow schemas."""

from __future__ import annotations

import functools
import re
from importlib.metadata import PackageNotFoundError, version

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask
from marshmallow import fields, validate

from .api import apidoc
from .errors import HTTP_CODES
from .schemas import CONTROLS, ProblemSchema, RequestSchema, declared

COMMON_HEADERS = {
    "X-Concierge-Session": {"required": False, "description": "The widget's visitor id; "
                            "malformed answers 422 validation_error.",
                            "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{16,64}$"}},
    # Any value is accepted: one outside ^[A-Za-z0-9._-]{8,128}$ is replaced, not refused.
    "X-Request-ID": {"required": False, "schema": {"type": "string"},
                     "description": "Echoed in the answer when it matches "
                                    "`^[A-Za-z0-9._-]{8,128}$`; otherwise a new id is sent."},
}
# Every operation reads X-Concierge-Session, so every one may answer its 422.
ALWAYS = [(422, "validation_error"), (429, "rate_limited"), (500, "internal_error"),
          (503, "database_unavailable")]
BODY_ERRORS = [(400, "malformed_json"), (415, "unsupported_media_type"),
               (422, "validation_error")]
SECURITY_SCHEMES = {
    "adminToken": {"type": "http", "scheme": "bearer",
                   "description": "`Authorization: Bearer <CONCIERGE_ADMIN_TOKEN>`; the "
                                  "admin endpoints answer 404 when no token is configured."},
    "merchantKey": {"type": "http", "scheme": "bearer",
                    "description": "Merchant API key (`flask concierge api-keys create`, or "
                                   "CONCIERGE_MERCHANT_KEY). Missing or wrong: 401 with "
                                   "WWW-Authenticate; without the operation's scope "
                                   "(x-required-scopes): 403 insufficient_scope."},
}


def _own_json_schema(converter, field, ret, **kwargs) -> dict:
    """Let a field that loads unlike its base class correct its JSON Schema (`json_schema`)."""
    correct = getattr(field, "json_schema", None)
    return correct(ret) if correct else {}


def _no_controls(converter, field, ret, **kwargs) -> dict:
    """State that a request's free text refuses control characters (RequestSchema)."""
    if (isinstance(field, fields.String) and isinstance(field.parent, RequestSchema)
            and "pattern" not in ret and "enum" not in ret):
        return {"pattern": f"^[^{CONTROLS}]*$"}
    return {}


def _closed_keys(converter, field, ret, **kwargs) -> dict:
    """State a dict whose keys are one of a list as those properties and no others."""
    keys = getattr(field, "key_field", None) if isinstance(field, fields.Dict) else None
    choices = next((v.choices for v in getattr(keys, "validators", ())
                    if isinstance(v, validate.OneOf)), None)
    if not choices:
        return {}
    # OpenAPI 3.0 has no propertyNames: each allowed key becomes a property.
    value = ret.get("additionalProperties", {})
    return {"properties": {key: dict(value) for key in choices}, "additionalProperties": False}


class ConciergePlugin(MarshmallowPlugin):
    """Add each schema's `openapi_keywords` (rules across fields) to its component."""

    def init_spec(self, spec):
        """Set up the converters, teaching them the project's own fields."""
        super().init_spec(spec)
        self.converter.add_attribute_function(_own_json_schema)
        self.converter.add_attribute_function(_no_controls)
        self.converter.add_attribute_function(_closed_keys)

    def schema_helper(self, name, definition, schema=None, **kwargs):
        """Convert the schema, then merge the keywords it declares."""
        json_schema = super().schema_helper(name, definition, schema=schema, **kwargs)
        if json_schema is not None and schema is not None:
            json_schema.update(declared(schema, "openapi_keywords"))
        return json_schema


@functools.cache
def app_version() -> str:
    """Return the installed package version (read once: /health answers every probe)."""
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
    if doc.get("security"):
        op["security"] = [{doc["security"]: []}]
    rules = _rules(doc)
    if rules:
        op["x-rules"] = rules
        op["description"] = (op.get("description", "") + " Rules the schema cannot state: "
                             + "; ".join(f"`{field}`: {rule}" for field, rule in rules.items())
                             + " (422 otherwise).").strip()
    path = doc.get("path") or {}
    params = [{"in": "path", "name": arg, "required": True,
               "schema": path.get(arg, {"type": "string"})} for arg in sorted(rule.arguments)]
    headers = {**COMMON_HEADERS, **(doc.get("headers") or {})}
    params += [{"in": "header", "name": name, **spec} for name, spec in headers.items()]
    if doc.get("query"):
        params.append({"in": "query", "schema": doc["query"]})
    op["parameters"] = params
    if doc.get("scopes"):
        # OpenAPI 3.0 lists scopes only for OAuth2; a bearer key's scopes are named here.
        op["x-required-scopes"] = list(doc["scopes"])
    if doc.get("body") and method in {"post", "put", "patch"}:
        op["requestBody"] = {"required": True,
                             "content": {"application/json": {"schema": doc["body"]}}}
    if doc.get("multipart"):
        media = doc["multipart"]  # a schema, or a media type object with its encoding
        op["requestBody"] = {"required": True, "content": {
            "multipart/form-data": media if "schema" in media else {"schema": media}}}
    for status, (schema, description) in doc["responses"].items():
        entry: dict = {"description": description or "OK"}
        if schema is not None:
            entry["content"] = {"application/json": {"schema": schema}}
        op["responses"][str(status)] = entry
    errors = list(doc["errors"]) + ALWAYS
    if doc.get("security"):
        errors.append((401, "unauthorized"))
    if doc.get("body"):
        errors += BODY_ERRORS
    by_status: dict[int, dict] = {}
    for status, code, *schema in errors:
        entry = by_status.setdefault(status, {"codes": [], "schemas": []})
        if code not in entry["codes"]:
            entry["codes"].append(code)
        entry["schemas"] += [s for s in schema if s not in entry["schemas"]]
    for status, entry in sorted(by_status.items()):
        schemas = entry["schemas"] or ["Problem"]
        op["responses"][str(status)] = {
            "description": f"{HTTP_CODES.get(status, ('', 'Error'))[1]}: code "
                           + " or ".join(f"`{c}`" for c in entry["codes"]),
            "x-codes": entry["codes"],
            "content": {"application/problem+json": {
                "schema": schemas[0] if len(schemas) == 1 else {"anyOf": schemas}}},
        }
    return op


def _rules(doc: dict) -> dict[str, str]:
    """Collect the rules the request's schemas and the view declare."""
    rules: dict[str, str] = {}
    for schema in (doc.get("query"), doc.get("body")):
        if schema is not None:
            rules.update(declared(schema, "openapi_rules"))
    rules.update(doc.get("rules") or {})
    return rules


def build_spec(app: Flask) -> dict:
    """Return the OpenAPI 3 document of every documented endpoint."""
    spec = APISpec(
        title="Aurora Concierge API", version=app_version(), openapi_version="3.0.3",
        plugins=[ConciergePlugin()],
        info={"description": "Storefront concierge JSON API. Errors are RFC 9457 "
                             "problem details (application/problem+json)."},
        servers=[{"url": "/"}],
    )
    spec.components.schema("Problem", schema=ProblemSchema)
    for name, scheme in SECURITY_SCHEMES.items():
        spec.components.security_scheme(name, scheme)
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        doc = apidoc(app.view_functions[rule.endpoint])
        if doc is None:
            continue
        methods = sorted(m.lower() for m in rule.methods - {"HEAD", "OPTIONS"})
        spec.path(path=_path(rule.rule),
                  operations={m: _operation(rule, m, doc, app.config) for m in methods})
    return spec.to_dict()
