"""The extensions' own behaviour: flask-limiter's before-request pass runs only when needed."""

from __future__ import annotations

from flask import Flask

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
