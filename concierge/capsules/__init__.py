"""The capsules feature."""
