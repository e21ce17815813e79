"""Extensions, created unbound here and bound in create_app."""

from flask import request
from flask_babel import Babel
from flask_compress import Compress
from flask_limiter import Limiter
from flask_wtf.csrf import CSRFProtect

from . import limit_storage  # noqa: F401  (registers memory://: one sweeper thread, not one per 10 ms)


def client_address() -> str:
    """Key rate limits by the client address (ProxyFix sets it behind proxies)."""
    return request.remote_addr or "unknown"


# Storage, enablement and headers come from app.config (RATELIMIT_*).
limiter = Limiter(key_func=client_address, key_prefix="concierge")

# Checks only where a view asks (the console); the JSON API takes no cookies.
csrf = CSRFProtect()

# Settings (algorithms, types, sizes) in concierge/compression.py.
compress = Compress()

# Locale selector and catalogues bound in concierge/i18n.py.
babel = Babel()
