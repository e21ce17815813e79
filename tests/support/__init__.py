"""Helpers the tests share: a settable clock, live servers, query shapes, races, the spec."""
