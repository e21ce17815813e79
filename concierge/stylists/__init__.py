"""The stylists feature."""
