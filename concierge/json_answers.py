"""Answer OPTIONS and Werkzeug's slash redirects under /api in JSON, not its HTML."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, jsonify, request
from flask.globals import request_ctx
from werkzeug.routing import RequestRedirect


def _api_answers_in_json():
    if not request.path.startswith("/api/"):
        return None
    redirect = request.routing_exception
    if isinstance(redirect, RequestRedirect):
        # A relative Location: nothing taken from the Host header is sent back.
        target = urlsplit(redirect.new_url)
        location = target.path + (f"?{target.query}" if target.query else "")
        response = jsonify({"status": redirect.code, "location": location})
        response.status_code = redirect.code
        response.headers["Location"] = location
        return response
    if request.method == "OPTIONS" and redirect is None:
        allowed = sorted(request_ctx.url_adapter.allowed_methods())
        response = jsonify({"allow": allowed})
        response.headers["Allow"] = ", ".join(allowed)
        return response
    return None


def init_app(app: Flask) -> None:
    """Answer them before any view or limit runs."""
    app.before_request(_api_answers_in_json)
