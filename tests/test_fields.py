"""Shared fields: timestamps, strict booleans, trimmed text and the pattern that states it."""

import re
from datetime import UTC, datetime, timedelta, timezone

import pytest
from marshmallow import ValidationError, validate

from concierge.schemas import StrictBoolean, TrimmedString, iso_z


@pytest.mark.parametrize(("value", "text"), [
    (datetime(93, 8, 31, 17, 6, 0, 63000), "0093-08-31T17:06:00.063Z"),  # found by make fuzz
    (datetime(2026, 1, 2, 3, 4, 5), "2026-01-02T03:04:05.000Z"),
    (datetime(2026, 1, 2, 3, 4, 5, 678999, tzinfo=UTC), "2026-01-02T03:04:05.678Z"),
    (datetime(2026, 1, 2, 1, 4, 5, tzinfo=timezone(timedelta(hours=-2))),
     "2026-01-02T03:04:05.000Z"),
    (datetime(2026, 1, 1, 0, 30, tzinfo=timezone(timedelta(hours=1))), "2025-12-31T23:30:00.000Z"),
], ids=["year 93", "naive", "UTC", "behind UTC", "ahead, the year before"])
def test_timestamps_have_four_digit_years_and_milliseconds(value, text):
    assert iso_z(value) == text


@pytest.mark.parametrize("value", [0, 1, "true", None])
def test_a_strict_boolean_takes_only_true_and_false(value):
    field = StrictBoolean()
    assert field.deserialize(True) is True
    with pytest.raises(ValidationError):
        field.deserialize(value)


FIELDS = [TrimmedString(required=True, validate=validate.Length(min=3, max=32)),
          TrimmedString(validate=validate.Length(max=5)),
          TrimmedString(required=True),
          TrimmedString(validate=validate.Regexp(r"^[A-Z0-9-]{3,8}$"))]
VALUES = ["", " ", "ab", "abc", " abc\t", "a b c", "abcdef", "\u3000abc\u2028", "ab\x85c",
          "a\x00c", "AUR-1", " AUR-1 ", "\nAUR-12345"]


@pytest.mark.parametrize("field", FIELDS)
def test_the_openapi_pattern_of_trimmed_text_accepts_exactly_what_the_field_does(field):
    pattern = re.compile(field.json_pattern())
    for value in VALUES:
        try:
            field._validate(field.deserialize(value))
            loads = "\x00" not in value and "\x85" not in value  # controls: RequestSchema
        except ValidationError:
            loads = False
        assert bool(pattern.match(value)) is loads, (field.json_pattern(), value)


def test_a_trimmed_field_with_a_regex_and_a_length_cannot_be_stated():
    field = TrimmedString(validate=[validate.Length(max=9), validate.Regexp("^a+$")])
    with pytest.raises(ValueError, match="state the lengths in the regex"):
        field.json_pattern()
