"""Parse requests with marshmallow and record each view's OpenAPI shape."""

from __future__ import annotations

import functools
import json

from flask import Response, request
from marshmallow import Schema

from .errors import MalformedJSON, UnsupportedMediaType

JSON_TYPES = {"application/json"}


def _doc(view) -> dict:
    target = getattr(view, "__wrapped__", view)
    while hasattr(target, "__wrapped__"):
        target = target.__wrapped__
    return target.__dict__.setdefault("_apidoc", {"responses": {}, "errors": []})


def json_body() -> object:
    """Return the request's JSON body, enforcing the content type."""
    raw = request.get_data(cache=True)
    if request.mimetype not in JSON_TYPES:
        if not raw and not request.mimetype:
            return {}
        raise UnsupportedMediaType(
            f"Send the body as application/json (got {request.mimetype or 'no type'}).")
    if not raw.strip():
        return {}
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise MalformedJSON(f"The body is not valid JSON: {error}.") from None


def body(schema: type[Schema]):
    """Load the JSON body with `schema` and pass it as the view's first argument."""
    def decorator(view):
        _doc(view)["body"] = schema

        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            return view(schema().load(json_body()), *args, **kwargs)
        return wrapper
    return decorator


def query(schema: type[Schema]):
    """Load the query string with `schema` and pass it as the view's first argument."""
    def decorator(view):
        _doc(view)["query"] = schema

        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            return view(schema().load(request.args.to_dict()), *args, **kwargs)
        return wrapper
    return decorator


def responds(status: int, schema: type[Schema] | None = None, description: str = ""):
    """Dump the view's result with the schema of its status.

    The view returns an object (answered with the lowest declared 2xx status)
    or (object, status[, headers]); stacking several `responds` documents
    several answers.
    """
    def decorator(view):
        doc = _doc(view)
        doc["responses"][status] = (schema, description)
        if getattr(view, "_dumps", False):
            return view

        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            result = view(*args, **kwargs)
            if isinstance(result, Response):
                return result
            if not isinstance(result, tuple):
                result = (result, min(s for s in doc["responses"] if s < 300))
            obj, code, *rest = result
            chosen = doc["responses"].get(code, (None, ""))[0]
            return (chosen().dump(obj) if chosen else obj), code, (rest[0] if rest else {})
        wrapper._dumps = True
        return wrapper
    return decorator


def documents(*errors: tuple, tags: tuple[str, ...] = (), summary: str = "",
              headers: dict | None = None, multipart: dict | None = None,
              security: str | None = None, rules: dict[str, str] | None = None):
    """Record what a view can answer, for the OpenAPI document.

    Each error is (status, code) or (status, code, ProblemSchema subclass) when
    that code's body carries more members; `security` names a security scheme;
    `rules` are rules no schema states (e.g. on stored data), per field.
    """
    def decorator(view):
        doc = _doc(view)
        doc["errors"].extend(errors)
        doc["tags"] = tags
        doc["summary"] = summary
        doc["headers"] = headers or {}
        if multipart:
            doc["multipart"] = multipart
        if security:
            doc["security"] = security
        if rules:
            doc["rules"] = rules
        return view
    return decorator


def scopes(*names: str):
    """Record the API-key scopes a view requires, for the OpenAPI document."""
    def decorator(view):
        _doc(view)["scopes"] = names
        return view
    return decorator


def note_limit(view, setting: str, per: str) -> None:
    """Record that a rate limit, named by its setting, applies to a view."""
    _doc(view).setdefault("limits", []).append((setting, per))


def apidoc(view) -> dict | None:
    """Return what the decorators recorded about a view."""
    target = view
    while hasattr(target, "__wrapped__"):
        target = target.__wrapped__
    return target.__dict__.get("_apidoc")
