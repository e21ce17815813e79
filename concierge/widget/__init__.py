"""The widget feature."""
