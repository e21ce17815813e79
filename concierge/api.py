"""Parse requests with marshmallow and record each view's OpenAPI shape."""

from __future__ import annotations

import functools
import hashlib
import json

from flask import Response, current_app, g, request
from marshmallow import Schema, ValidationError, fields

from .errors import ConciergeError, MalformedJSON, UnsupportedMediaType
from .schemas import RequestSchema

JSON_TYPES = {"application/json"}
# Deeper bodies are refused before any code walks them (no request needs more than 4).
MAX_JSON_DEPTH = 32


def _doc(view) -> dict:
    target = getattr(view, "__wrapped__", view)
    while hasattr(target, "__wrapped__"):
        target = target.__wrapped__
    return target.__dict__.setdefault("_apidoc", {"responses": {}, "errors": []})


def json_body() -> object:
    """Return the request's JSON body, enforcing the content type; parse it once per request."""
    parsed = g.get("_json_body")
    if parsed is None:
        try:
            parsed = g._json_body = (_parse_json_body(), None)
        except ConciergeError as error:
            parsed = g._json_body = (None, error)
    body, error = parsed
    if error is not None:
        raise error
    return body


def _parse_json_body() -> object:
    raw = request.get_data(cache=True)
    if request.mimetype not in JSON_TYPES:
        if not raw and not request.mimetype:
            return {}
        raise UnsupportedMediaType(
            f"Send the body as application/json (got {request.mimetype or 'no type'}).")
    if not raw.strip():
        return {}
    too_deep = MalformedJSON(f"The body nests arrays and objects deeper than {MAX_JSON_DEPTH} "
                             "levels.")
    try:
        data = json.loads(raw)
    except RecursionError:  # deeper than the parser itself can go
        raise too_deep from None
    except (ValueError, UnicodeDecodeError) as error:
        raise MalformedJSON(f"The body is not valid JSON: {error}.") from None
    if deeper_than(data, MAX_JSON_DEPTH):
        raise too_deep
    return data


def deeper_than(data: object, limit: int) -> bool:
    """Tell whether arrays and objects nest deeper than `limit` (without recursion)."""
    level = [data]
    for _ in range(limit + 1):
        level = [child for value in level if isinstance(value, (list, dict))
                 for child in (value.values() if isinstance(value, dict) else value)]
        if not level:
            return False
    return True


@functools.cache
def _instance(schema: type[Schema]) -> Schema:
    """Return one shared instance of a schema.

    Building a schema copies its declared fields (and its nested schemas'),
    which costs more than the load or dump itself; instances keep no state
    between calls, so each view reuses one.
    """
    return schema()


def _request_schema(schema: type[Schema]) -> type[Schema]:
    if not issubclass(schema, RequestSchema):
        raise TypeError(f"{schema.__name__} must inherit concierge.schemas.RequestSchema, "
                        "which refuses text that cannot be stored.")
    return schema


def query_args(schema: Schema) -> dict:
    """Return the query string as a dict; a scalar parameter given twice is refused."""
    repeated = {name: ["Give this parameter once."] for name, values in request.args.lists()
                if len(values) > 1 and not isinstance(schema.fields.get(name), fields.List)}
    if repeated:
        raise ValidationError(repeated)
    return {name: values if isinstance(schema.fields.get(name), fields.List) else values[0]
            for name, values in request.args.lists()}


def body(schema: type[Schema]):
    """Load the JSON body with `schema` and pass it as the view's first argument."""
    _request_schema(schema)

    def decorator(view):
        _doc(view)["body"] = schema

        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            return view(_instance(schema).load(json_body()), *args, **kwargs)
        return wrapper
    return decorator


def query(schema: type[Schema]):
    """Load the query string with `schema` and pass it as the view's first argument."""
    _request_schema(schema)

    def decorator(view):
        _doc(view)["query"] = schema

        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            loaded = _loaded_query(schema, tuple(request.args.items(multi=True)))
            return view({k: list(v) if isinstance(v, list) else v for k, v in loaded.items()},
                        *args, **kwargs)
        return wrapper
    return decorator


@functools.lru_cache(maxsize=1024)
def _loaded_query(schema: type[Schema], args: tuple[tuple[str, str], ...]) -> dict:
    """Load query arguments once: shoppers repeat searches, and loading is most of a kept one.

    Refused arguments raise and are not kept (their messages follow the locale).
    """
    loader = _instance(schema)
    return loader.load(query_args(loader))


class Dumped(dict):
    """An answer its response schema has already dumped (a kept one), sent again and again.

    Its JSON is encoded once, and its digest is its strong ETag: compression
    keeps the compressed body by it (concierge/compression.py), and a client
    holding it may revalidate.
    """

    _encoded: tuple[bytes, str] | None = None

    def encoded(self) -> tuple[bytes, str]:
        """Return the answer's JSON body, as Flask would send it, and its digest."""
        if self._encoded is None:
            body = f"{current_app.json.dumps(self)}\n".encode()
            self._encoded = body, hashlib.blake2b(body, digest_size=16).hexdigest()
        return self._encoded

    def response(self, status: int, headers: dict) -> Response:
        """Answer with the encoded body, tagged with its digest."""
        body, digest = self.encoded()
        answer = current_app.response_class(body, status, headers,
                                            mimetype=current_app.json.mimetype)
        answer.set_etag(digest)
        return answer


def dumped(schema: type[Schema], obj) -> Dumped:
    """Dump `obj` with `schema` once, for an answer that is kept and sent again."""
    return Dumped(_instance(schema).dump(obj))


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
            headers = rest[0] if rest else {}
            if isinstance(obj, Dumped):
                return obj.response(code, headers)
            chosen = doc["responses"].get(code, (None, ""))[0]
            if chosen:
                obj = _instance(chosen).dump(obj)
            return obj, code, headers
        wrapper._dumps = True
        return wrapper
    return decorator


def documents(*errors: tuple, tags: tuple[str, ...] = (), summary: str = "",
              headers: dict | None = None, multipart: dict | None = None,
              security: str | None = None, rules: dict[str, str] | None = None,
              path: dict[str, dict] | None = None, raw_body: dict | None = None):
    """Record what a view can answer, for the OpenAPI document.

    Each error is (status, code) or (status, code, ProblemSchema subclass) when
    that code's body carries more members; `security` names a security scheme;
    `rules` are rules no schema states (e.g. on stored data), per field; `path`
    gives a path parameter's JSON Schema (else any string); `raw_body` documents a body
    the view reads itself (media type → media type object), e.g. a signed webhook's.
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
        if path:
            doc["path"] = path
        if raw_body:
            doc["raw_body"] = raw_body
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
