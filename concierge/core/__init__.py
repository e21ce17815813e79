"""The core feature."""
