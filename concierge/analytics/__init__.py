"""The analytics feature."""
