"""Schemathesis hooks for `make fuzz`: real images, and the check for documented refusals."""

from __future__ import annotations

import io

import schemathesis
from hypothesis import strategies as st
from PIL import Image
from schemathesis.core import NOT_SET

FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
RULE_FREE_CODES = {"validation_error"}


def _encode(fmt: str, size: tuple[int, int], colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, fmt)
    return out.getvalue()


def _images(fmt: str) -> st.SearchStrategy[bytes]:
    """Small pictures of the format: the upload schema's `image` as a shopper sends it."""
    side = st.integers(min_value=1, max_value=64)
    channel = st.integers(min_value=0, max_value=255)
    return st.builds(_encode, st.just(fmt), st.tuples(side, side),
                     st.tuples(channel, channel, channel))


for media_type, image_format in FORMATS.items():
    schemathesis.openapi.media_type(media_type, _images(image_format))


def _documented(case) -> tuple[set[str], dict[str, str]]:
    operation = case.operation.definition.raw
    codes = set(operation.get("responses", {}).get("422", {}).get("x-codes", []))
    return codes - RULE_FREE_CODES, operation.get("x-rules", {})


def _body_fits(case) -> bool:
    """Whether the body really fits its schema.

    Schemathesis 4.32's coverage phase fills a required multipart part that has no
    custom media type with "", whatever its schema says (here `consent`, whose enum
    is ["true"]), and still calls the case positive.
    """
    bodies = [body for body in case.operation.body if body.media_type == case.media_type]
    if case.body is NOT_SET or not bodies:
        return True
    value = case.body
    if isinstance(value, dict):  # a form: file parts are bytes, a string in the schema
        value = {k: "<file>" if isinstance(v, bytes) else v for k, v in value.items()}
    return bodies[0].get_validator().is_valid(value)


@schemathesis.check
def refusal_names_a_documented_rule(ctx, response, case):
    """A schema-valid request may be refused 422 only by a rule the operation documents."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code != 422:
        return None
    if not _body_fits(case):
        return None
    problem = response.json()
    codes, rules = _documented(case)
    if problem.get("code") in codes:
        return True
    fields = sorted(problem.get("errors") or {"(none)": []})
    unexplained = [f for f in fields if f.split(".", 1)[0] not in rules]
    if problem.get("code") != "validation_error" or unexplained:
        raise AssertionError(
            f"A schema-valid request was refused 422 {problem.get('code')} "
            f"for {unexplained or fields}: "
            "state the rule in the schema (openapi_keywords) or document it (openapi_rules).")
    return True
