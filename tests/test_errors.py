"""Every error is problem+json with the contract's status and code."""

import pytest
from flask import Blueprint

from concierge import create_app
from concierge.errors import HTTP_CODES

LOOKUP = "/api/concierge/orders/lookup"


def _assert_problem(response, status, code):
    assert response.status_code == status
    assert response.content_type == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status
    assert body["code"] == code
    assert body["title"]
    assert body["requestId"] == response.headers["X-Request-ID"]
    return body


@pytest.mark.parametrize(("kwargs", "status", "code"), [
    ({"data": "{not json", "content_type": "application/json"}, 400, "malformed_json"),
    ({"data": "orderNumber=GG-11982", "content_type": "application/x-www-form-urlencoded"},
     415, "unsupported_media_type"),
    ({"data": "hello", "content_type": "text/plain"}, 415, "unsupported_media_type"),
    ({"json": {"orderNumber": "GG-11982", "email": "a@b.co", "admin": True}},
     422, "validation_error"),
    ({"json": {"orderNumber": {"$ne": None}, "email": "a@b.co"}}, 422, "validation_error"),
    ({"json": {"orderNumber": "GG-11982", "email": {"$ne": None}}}, 422, "validation_error"),
    ({"json": ["GG-11982"]}, 422, "validation_error"),
    ({"json": {"orderNumber": "GG-11982"}}, 422, "validation_error"),
])
def test_bad_body_gets_its_problem(client, kwargs, status, code):
    _assert_problem(client.post(LOOKUP, **kwargs), status, code)


def test_operator_object_is_named_in_field_errors(client):
    body = _assert_problem(
        client.post(LOOKUP, json={"orderNumber": {"$ne": None}, "email": "a@b.co"}),
        422, "validation_error")
    assert body["errors"] == {"orderNumber": ["Not a valid string."]}


def test_unknown_field_is_named(client):
    body = _assert_problem(
        client.post(LOOKUP, json={"orderNumber": "GG-1", "email": "a@b.co", "x": 1}),
        422, "validation_error")
    assert body["errors"]["x"] == ["Unknown field."]


def test_unknown_path_is_problem_404(client):
    _assert_problem(client.get("/api/concierge/nothing-here"), 404, "not_found")


def test_wrong_method_is_problem_405_with_allow(client):
    response = client.get(LOOKUP)
    _assert_problem(response, 405, "method_not_allowed")
    assert "POST" in response.headers["Allow"]


def _app_with_failing_route(config):
    app = create_app(config)
    boom = Blueprint("boom", __name__)

    @boom.get("/boom")
    def explode():
        raise RuntimeError("secret internals")

    app.register_blueprint(boom)
    return app


def test_unexpected_failure_is_500_without_internals(config):
    response = _app_with_failing_route(config).test_client().get("/boom")
    body = _assert_problem(response, 500, "internal_error")
    assert "secret internals" not in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)
    assert body["requestId"]


def test_rate_limit_is_problem_429_with_retry_after(config):
    config.update(RATELIMIT_ENABLED=True, ORDER_LOOKUP_LIMIT_PER_CLIENT="2/minute")
    client = create_app(config).test_client()
    body = {"orderNumber": "GG-11982", "email": "avery.stone@example.com"}
    answers = [client.post(LOOKUP, json=body) for _ in range(3)]
    assert [a.status_code for a in answers[:2]] == [200, 200]
    assert "Retry-After" not in answers[0].headers
    _assert_problem(answers[2], 429, "rate_limited")
    assert 1 <= int(answers[2].headers["Retry-After"]) <= 60


@pytest.mark.parametrize(("path", "allowed"), [
    ("/api/concierge/health", ["GET", "HEAD", "OPTIONS"]),
    ("/api/concierge/orders/lookup", ["OPTIONS", "POST"]),
    ("/api/concierge/shortlists/abc", ["GET", "HEAD", "OPTIONS", "PUT"]),
])
def test_options_answers_json_with_allow(client, path, allowed):
    response = client.options(path)
    assert response.status_code == 200
    assert response.content_type == "application/json"
    assert response.get_json() == {"allow": allowed}
    assert response.headers["Allow"] == ", ".join(allowed)
    assert response.headers["X-Request-ID"]


@pytest.mark.parametrize(("path", "location"), [
    ("/api/concierge//health", "/api/concierge/health"),
    ("/api//concierge/products?q=silk%20dress", "/api/concierge/products?q=silk%20dress"),
])
def test_slash_redirects_under_api_are_json_with_a_relative_location(client, path, location):
    response = client.get(path, headers={"Host": "evil.example"})
    assert response.status_code == 308
    assert response.content_type == "application/json"
    assert response.headers["Location"] == location
    assert response.get_json() == {"status": 308, "location": location}


@pytest.mark.parametrize(("method", "path", "status"), [
    ("OPTIONS", "/api/concierge/nothing-here", 404),
    ("TRACE", "/api/concierge/health", 405),
    ("GET", "/api/concierge/health/", 404),
    ("DELETE", "/api/concierge/orders/lookup", 405),
])
def test_odd_requests_under_api_are_problems(client, method, path, status):
    _assert_problem(client.open(path, method=method), status, HTTP_CODES[status][0])


def test_a_non_json_error_answer_under_api_becomes_a_problem(config):
    app = create_app(config)
    legacy = Blueprint("legacy", __name__)
    legacy.add_url_rule("/api/concierge/legacy", "legacy",
                        lambda: ("<h1>Teapot</h1>", 418, {"Content-Type": "text/html"}))
    legacy.add_url_rule("/api/concierge/gone", "gone",
                        lambda: ("<p>gone</p>", 503, {"Retry-After": "7"}))
    app.register_blueprint(legacy)
    client = app.test_client()
    _assert_problem(client.get("/api/concierge/legacy"), 418, "http_error")
    gone = client.get("/api/concierge/gone")
    _assert_problem(gone, 503, "service_unavailable")
    assert gone.headers["Retry-After"] == "7"
