"""GET /health, /config and /openapi.json."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from flask import Blueprint, current_app, jsonify, request
from pymongo.errors import PyMongoError

from .. import api, limits
from ..admin_auth import require_admin
from ..conversations import settings as conversation_settings
from ..db import get_store
from ..flags import real_endpoints_enabled
from ..i18n import LOCALES, current_locale
from ..openapi import app_version, build_spec
from ..schemas import INTENTS
from .schemas import ConfigQuerySchema, ConfigSchema, HealthSchema

bp = Blueprint("core", __name__, url_prefix="/api/concierge")
_pinger = ThreadPoolExecutor(max_workers=2, thread_name_prefix="health")
PING_TIMEOUT = 2.5  # seconds; the contract promises an answer within 3


def _database_answers() -> bool:
    store = get_store()
    try:
        _pinger.submit(store.ping).result(timeout=PING_TIMEOUT)
        return True
    except (PyMongoError, FutureTimeout):
        return False


@bp.get("/health")
@limits.admin_failures
@api.documents((401, "unauthorized"), tags=("meta",),
               summary="Report whether the app and its database answer")
@api.responds(200, HealthSchema, "Healthy")
@api.responds(503, HealthSchema, "Degraded: the database is unreachable")
def health():
    """Answer 200 when the database answers, else 503 degraded; details for the admin token.

    Anyone is told the status, the database and whether writes are durable (API.md 21).
    """
    store = get_store()
    about = {"durable": store.durable,
             **(_details() if "Authorization" in request.headers else {})}
    if store.missing_indexes:  # why it is degraded: told to anyone, as the status is
        about["missingIndexes"] = sorted(store.missing_indexes)
    if _database_answers() and store.disk_error is None and not store.missing_indexes:
        return {"status": "ok", "database": "ok", **about}
    return ({"status": "degraded", "database": "unavailable", **about}, 503,
            {"Retry-After": "5"})


def _details() -> dict:
    """Return the version and what is configured, to the admin token only (else 401)."""
    if not current_app.config["CONCIERGE_ADMIN_TOKEN"]:
        return {}  # no token, no details: the answer everyone gets
    require_admin()
    settings = current_app.config["CONCIERGE"]
    return {"version": app_version(), "store": "embedded" if settings.embedded else "mongodb",
            "mail": _configured(settings.CONCIERGE_SMTP_URL),
            "webhook": _configured(settings.CONCIERGE_WEBHOOK_URL)}


def _configured(setting: str) -> str:
    return "configured" if setting else "not_configured"


@bp.get("/config")
@api.documents(tags=("meta",), summary="Tell the widget what this session may use")
@api.query(ConfigQuerySchema)
@api.responds(200, ConfigSchema)
def config(_query):
    """Return the flag state for the caller's session, the intent ids and its locale."""
    answer = {"realEndpointsEnabled": real_endpoints_enabled(), "intents": list(INTENTS),
              "locale": current_locale(), "locales": LOCALES,
              "contactUrl": current_app.config["CONCIERGE_CONTACT_URL"]}
    settings, locale = current_app.config["CONCIERGE"], answer["locale"]
    answer["replyTime"] = conversation_settings.reply_time(settings, locale)
    answer["officeHours"] = conversation_settings.office_hours(settings, locale)
    return answer, 200, {"Vary": "Accept-Language"}


@bp.get("/openapi.json")
def openapi():
    """Return the OpenAPI document generated from the schemas."""
    spec = current_app.extensions.get("concierge_openapi")
    if spec is None:
        spec = current_app.extensions["concierge_openapi"] = build_spec(current_app)
    return jsonify(spec)
