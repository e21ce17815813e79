"""The merchant feature: API keys, catalogue and order writes, imports."""
