"""The verify feature."""
