"""The extensions' own behaviour: flask-limiter's before-request pass runs only when needed."""

from __future__ import annotations

import flask_limiter
from flask import Flask
from flask.globals import request_ctx

from concierge.extensions import Limiter


def _app(limiter: Limiter) -> Flask:
    app = Flask(__name__)
    app.config["RATELIMIT_STORAGE_URI"] = "memory://"
    limiter.init_app(app)

    @app.get("/plain")
    def plain():
        return {"ok": True}

    @app.get("/decorated")
    @limiter.limit("2/minute")
    def decorated():
        return {"ok": True}

    return app


def _statuses(app: Flask, path: str, times: int) -> list[int]:
    client = app.test_client()
    return [client.get(path).status_code for _ in range(times)]


def test_decorated_limits_are_enforced_without_the_before_request_pass():
    limiter = Limiter(key_func=lambda: "client")
    app = _app(limiter)
    assert not limiter._limits_beyond_views()
    assert _statuses(app, "/decorated", 3) == [200, 200, 429]


def test_default_limits_still_get_the_before_request_pass():
    limiter = Limiter(key_func=lambda: "client", default_limits=["1/minute"])
    app = _app(limiter)
    assert limiter._limits_beyond_views()
    assert _statuses(app, "/plain", 2) == [200, 429]


def test_application_limits_still_get_the_before_request_pass():
    limiter = Limiter(key_func=lambda: "client", application_limits=["2/minute"])
    app = _app(limiter)
    assert _statuses(app, "/plain", 3) == [200, 200, 429]


def test_the_private_names_read_exist_in_the_installed_flask_limiter():
    # An upgrade that renames them makes the override fall back to the library's own
    # passes (correct, slower): fail here instead, and measure again (docs/performance.md).
    limiter = Limiter(key_func=lambda: "client")
    _app(limiter)
    for name in ("_Limiter__filter_limits", "_check_request_limit"):
        assert callable(getattr(flask_limiter.Limiter, name, None)), name
    for owner, name in ((limiter.limit_manager, "_application_limits"),
                        (limiter.limit_manager, "_default_limits"),
                        (limiter.limit_manager, "_blueprint_limits"),
                        (limiter, "_meta_limits"), (limiter, "_storage_dead"),
                        (limiter, "_request_filters")):
        assert hasattr(owner, name), name


def test_a_views_limits_are_resolved_once_however_many_requests(monkeypatch):
    limiter = Limiter(key_func=lambda: "client")
    app = _app(limiter)
    resolved = []
    real = flask_limiter.Limiter._Limiter__filter_limits

    def counting(self, *args, **kwargs):
        resolved.append(args[0])
        return real(self, *args, **kwargs)

    monkeypatch.setattr(flask_limiter.Limiter, "_Limiter__filter_limits", counting)
    assert _statuses(app, "/decorated", 3) == [200, 200, 429]
    assert resolved == ["decorated"]


def test_a_request_s_limiter_state_is_the_library_s_own_found_in_one_lookup():
    limiter = Limiter(key_func=lambda: "client")
    app = _app(limiter)
    with app.test_request_context("/decorated"):
        first = limiter.context  # made by flask-limiter itself on first use
        library = flask_limiter.Limiter.context.fget(limiter)
        assert limiter.context is first is library
        # The attribute read: renamed by an upgrade, every read would go the slow way.
        assert request_ctx._get_current_object()._limiter_request_context[limiter] is first
    with app.test_request_context("/decorated"):
        assert limiter.context is not first  # each request its own
    assert _statuses(app, "/decorated", 3) == [200, 200, 429]
