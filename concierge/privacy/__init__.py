"""A shopper's data: where it lives (the registry), its export and its erasure."""
