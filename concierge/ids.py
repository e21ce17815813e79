"""Identifiers handed to anonymous callers: unguessable and URL-safe."""

import re
import secrets

# 16 random bytes = 128 bits, the contract's floor; token_urlsafe gives 22 characters.
PUBLIC_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def new_public_id() -> str:
    """Return a fresh id with 128 random bits (holdId, shortlistId, uploadId, …)."""
    return secrets.token_urlsafe(16)


def looks_like_public_id(value: str) -> bool:
    """Tell whether a path value could be one of our ids (saves a query when not)."""
    return bool(PUBLIC_ID.match(value))
