"""The returns feature."""
