"""Every row of `make verify` fails when the behaviour it certifies is broken.

Each breakage changes what the running app answers or stores, as a bug would; the
row that certifies that behaviour must then fail, and the run exit 1.
"""

from __future__ import annotations

import json
import os
import re

import pytest
from flask import request
from werkzeug.datastructures import ImmutableMultiDict

from concierge.verify import runner
from concierge.verify.browser import CHROMIUM
from concierge.verify.rows import FAIL
from concierge.verify.targets import in_process_target

pytestmark = pytest.mark.slow  # runs the verifier end to end against a server

# Rows whose breakage tests live elsewhere.
ELSEWHERE = {
    "capsule_holds": "test_failures.py: the one-active-hold index dropped",
    "ttl": "test_failures.py: a TTL index with another retention",
    "indexes": "test_failures.py: an index a hot query needs dropped",
    "scanning": "test_scanning.py: a scanner letting EICAR through, an app ignoring it",
    "events_out": "test_failures.py: webhooks signed with another key than the receiver's",
    "restart": "test_restart.py: a server that keeps its data in memory only",
}


def _answers(app, method: str, path: str, change) -> None:
    """Pass the app's answers to METHOD path (a regex) through change(body, response)."""
    @app.after_request
    def broken(response):
        if request.method == method and re.fullmatch(path, request.path):
            body = response.get_json(silent=True)
            changed = change(body, response)
            if changed is not None:
                response.set_data(json.dumps(changed))
        return response


def _flag_off(app, db):
    db.featureFlags.update_one({"_id": "concierge.realEndpointsEnabled"},
                               {"$set": {"enabled": False}})


def _search_misses_the_first_product(app, db):
    first = {}

    def change(body, response):
        if "q" not in request.args:
            first.setdefault("sku", body["items"][0]["sku"])
            return None
        return {**body, "items": [i for i in body["items"] if i["sku"] != first.get("sku")]}
    _answers(app, "GET", "/api/concierge/products", change)


def _search_ignores_q(app, db):
    @app.before_request
    def drop_q():
        if request.path == "/api/concierge/products":
            request.args = ImmutableMultiDict(
                [(k, v) for k, v in request.args.items(multi=True) if k != "q"])


def _timeline_out_of_order(app, db):
    _answers(app, "POST", "/api/concierge/orders/lookup", lambda body, _: (
        {**body, "timeline": body["timeline"][::-1]} if "timeline" in body else None))


def _replay_not_flagged(path):
    def breakage(app, db):
        _answers(app, "POST", path,
                 lambda body, response: response.headers.pop("Idempotent-Replayed", None))
    return breakage


def _shortlist_read_reordered(app, db):
    _answers(app, "GET", "/api/concierge/shortlists/[^/]+", lambda body, _: (
        {**body, "items": body["items"][::-1]} if "items" in body else None))


def _upload_published_unreviewed(app, db):
    _answers(app, "POST", "/api/concierge/inspiration",
             lambda body, _: {**body, "moderationStatus": "approved"})


def _repeat_subscription_is_new(app, db):
    def change(body, response):
        if response.status_code == 200:
            response.status_code = 201
    _answers(app, "POST", "/api/concierge/order-subscriptions", change)


def _low_rating_not_notified(app, db):
    _answers(app, "POST", "/api/concierge/csat",
             lambda body, _: {**body, "agentNotified": False} if "csatId" in body else None)


def _bad_event_not_rejected(app, db):
    _answers(app, "POST", "/api/concierge/events", lambda body, _: (
        {"accepted": body["accepted"] + len(body["rejected"]), "rejected": []}))


def _tickets_not_stored(app, db):
    @app.before_request
    def refuse():
        if request.method == "POST" and request.path == "/api/concierge/stylist-tickets":
            return {"status": 503, "code": "database_unavailable"}, 503
        return None


def _unknown_order_answers_differently(app, db):
    def change(body, response):
        if response.status_code == 404 and "99999" in request.get_data(as_text=True):
            return {**body, "detail": "No order has this number."}
        return None
    _answers(app, "POST", "/api/concierge/orders/lookup", change)


def _loader_missing(app, db):
    @app.before_request
    def gone():
        if request.path == "/static/aurora-embed.js":
            return "", 404
        return None


def _capsules_fail(app, db):
    def change(body, response):
        response.status_code = 500
    _answers(app, "GET", "/api/concierge/capsules", change)


BREAKAGES = {
    "flag": [_flag_off],
    "products": [_search_misses_the_first_product, _search_ignores_q],
    "order_tracking": [_timeline_out_of_order],
    "returns": [_replay_not_flagged("/api/concierge/returns")],
    "shortlists": [_shortlist_read_reordered],
    "stylist_tickets": [_replay_not_flagged("/api/concierge/stylist-tickets")],
    "inspiration": [_upload_published_unreviewed],
    "order_updates": [_repeat_subscription_is_new],
    "csat": [_low_rating_not_notified],
    "analytics": [_bad_event_not_rejected],
    "collections": [_tickets_not_stored],
    "secondary_lookup": [_unknown_order_answers_differently],
    "browser": [_loader_missing],
    "postman": [_capsules_fail],
    "load": [_capsules_fail],
}
CASES = [pytest.param(key, breakage, id=f"{key}-{breakage.__name__.strip('_')}",
                      marks=[pytest.mark.browser] if key == "browser" else [])
         for key, breakages in BREAKAGES.items() for breakage in breakages]


@pytest.fixture
def config():
    """The embedded app with the admin endpoints on, as `make verify` runs it."""
    return {"TESTING": True, "MONGO_URI": "", "RATELIMIT_ENABLED": False,
            "LOG_LEVEL": "ERROR", "CONCIERGE_ADMIN_TOKEN": "test-admin-token-0123456789"}


def test_every_row_has_a_breakage_test():
    rows = {key for key, *_ in runner.ROWS}
    assert rows == set(BREAKAGES) | set(ELSEWHERE)


@pytest.mark.parametrize(("key", "breakage"), CASES)
def test_the_row_fails_when_its_behaviour_is_broken(app, db, tmp_path, key, breakage):
    if key == "browser" and not os.path.exists(CHROMIUM):
        pytest.skip(f"no Chromium at {CHROMIUM}")
    breakage(app, db)
    skip = tuple(k for k in runner.SKIPPABLE if k != key)
    with in_process_target(app) as target:
        rows, status = runner.run(target, app.config["CONCIERGE"], tmp_path, skip=skip,
                                  load_requests=40, echo=lambda line: None)
    row = next(row for row in rows if row.key == key)
    if row.status == "skip":
        pytest.skip(f"the {key} row could not run here: {row.warnings[0]}")
    assert row.status == FAIL, row.proof
    assert status == 1
