"""The inspiration feature."""
