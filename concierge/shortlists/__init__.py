"""The shortlists feature."""
