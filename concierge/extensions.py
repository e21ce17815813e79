"""Extensions, created unbound here and bound in create_app."""

import flask_limiter
from flask import current_app, request
from flask.globals import request_ctx
from flask_babel import Babel
from flask_compress import Compress
from flask_wtf.csrf import CSRFProtect

from . import limit_storage  # noqa: F401  (registers memory://: one sweeper thread, not one per 10 ms)


def client_address() -> str:
    """Key rate limits by the client address (ProxyFix sets it behind proxies)."""
    return request.remote_addr or "unknown"


class Limiter(flask_limiter.Limiter):
    """flask-limiter, without its before-request pass when that pass has nothing to check.

    Every limit of this app decorates its view (concierge/limits.py), and the
    decorator checks it.  The before-request pass checks only application-wide,
    default, blueprint and meta limits, which this app has none of.  Should any
    such limit be added, or a flask-limiter release rename what is read here,
    the pass runs again as the library does.  Its per-request state is read with
    one lookup of the request context.  This overrides private names:
    docs/performance.md gives the measured reason, tests/test_extensions.py pins
    the names to the installed flask-limiter.
    """

    def _check_request_limit(self, callable_name=None, in_middleware=True) -> None:
        if in_middleware and not self._limits_beyond_views():
            return
        super()._check_request_limit(callable_name, in_middleware)

    def _Limiter__filter_limits(self, endpoint, blueprint, callable_name, in_middleware=False):
        """Resolve a view's limits once per app, as long as only views have limits.

        The library parses each limit's setting again on every request; the
        settings are read once at start.
        """
        resolve = super()._Limiter__filter_limits
        if in_middleware or self._request_filters or self._limits_beyond_views():
            return resolve(endpoint, blueprint, callable_name, in_middleware)
        kept = current_app.extensions.setdefault("concierge_view_limits", {})
        key = (endpoint, blueprint, callable_name, self.enabled, self.initialized)
        if key not in kept:
            kept[key] = tuple(resolve(endpoint, blueprint, callable_name, in_middleware))
        return list(kept[key])

    @property
    def context(self):
        """Return this request's limiter state through one lookup of the request context.

        The library reads it five times a request, each time through the request
        context's proxy three times over (hasattr, getattr, the dict); it is the same
        dict on the same attribute, made by the library on first use.
        """
        contexts = getattr(request_ctx._get_current_object(), "_limiter_request_context", None)
        return contexts[self] if contexts is not None else super().context

    def _limits_beyond_views(self) -> bool:
        manager = self.limit_manager
        return bool(getattr(manager, "_application_limits", True)
                    or getattr(manager, "_default_limits", True)
                    or getattr(manager, "_blueprint_limits", True)
                    or getattr(self, "_meta_limits", True)
                    or getattr(self, "_storage_dead", True))


# Storage, enablement and headers come from app.config (RATELIMIT_*).
limiter = Limiter(key_func=client_address, key_prefix="concierge")

# Checks only where a view asks (the console); the JSON API takes no cookies.
csrf = CSRFProtect()

# Settings (algorithms, types, sizes) in concierge/compression.py.
compress = Compress()

# Locale selector and catalogues bound in concierge/i18n.py.
babel = Babel()
