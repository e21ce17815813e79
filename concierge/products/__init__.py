"""The products feature."""
