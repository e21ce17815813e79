"""The orders feature."""
