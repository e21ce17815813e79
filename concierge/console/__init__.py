"""The staff console: server-rendered pages behind a sign-in with the admin token."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from ..extensions import csrf
from .auth import SessionInterface, secret_key


def init_app(app: Flask) -> None:
    """Configure the console's signed session and CSRF checks, register its pages."""
    from .capsules import bp as capsules
    from .inbox import bp as inbox
    from .search import bp as search
    from .staff import bp as staff
    from .views import bp

    settings = app.config["CONCIERGE"]
    app.secret_key = secret_key(settings)
    app.session_interface = SessionInterface()
    app.config.update(
        SESSION_COOKIE_NAME="concierge_console",
        SESSION_COOKIE_PATH="/console",  # the API and the widget never see it
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=settings.CONSOLE_SESSION_HOURS),
        SESSION_REFRESH_EACH_REQUEST=False,  # an absolute lifetime: nothing to slide
        WTF_CSRF_CHECK_DEFAULT=False,  # the console's blueprint checks its own forms
    )
    csrf.init_app(app)
    app.register_blueprint(bp)
    app.register_blueprint(inbox)
    app.register_blueprint(staff)
    app.register_blueprint(capsules)
    app.register_blueprint(search)
