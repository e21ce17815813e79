"""The stylist tickets feature."""
