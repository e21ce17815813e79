"""Standard Webhooks signatures, checked by the standardwebhooks verifier; settings checks."""

from __future__ import annotations

import base64
import json
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from concierge import create_app
from concierge.config import ConfigError
from concierge.outbox import webhooks
from concierge.outbox.errors import DeliveryFailed

from .conftest import SECRET
from .servers import AnsweringReceiver, RawReceiver, flood, trickle

DOC = {"_id": "msg_abc", "eventId": "msg_abc", "type": "return.requested",
       "createdAt": datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC),
       "data": {"rmaNumber": "RMA-1", "orderNumber": "GG-1", "items": [], "note": "déjà"}}


def test_signature_is_accepted_by_the_reference_verifier():
    body = webhooks.body(DOC)
    headers = webhooks.signed_headers(SECRET, "msg_abc", body, datetime.now(UTC))
    event = Webhook(SECRET).verify(body.encode(), headers)
    assert event == {"type": "return.requested", "timestamp": "2030-01-02T03:04:05.000Z",
                     "data": DOC["data"]}
    assert headers["webhook-signature"].startswith("v1,")
    assert headers["webhook-timestamp"].isdigit()


@pytest.mark.parametrize("tamper", ["body", "id", "timestamp", "secret"])
def test_anything_changed_fails_verification(tamper):
    body = webhooks.body(DOC)
    at = datetime.now(UTC)
    headers = webhooks.signed_headers(SECRET, "msg_abc", body, at)
    secret = SECRET
    if tamper == "body":
        body = body.replace("RMA-1", "RMA-2")
    elif tamper == "id":
        headers["webhook-id"] = "msg_abd"
    elif tamper == "timestamp":
        headers["webhook-timestamp"] = str(int((at - timedelta(seconds=1)).timestamp()))
    else:
        secret = "whsec_" + base64.b64encode(b"another-key-of-enough-bytes!").decode()
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(body.encode(), headers)


def test_the_body_is_compact_json_with_type_timestamp_and_data():
    assert json.loads(webhooks.body(DOC)).keys() == {"type", "timestamp", "data"}
    assert "déjà" in webhooks.body(DOC)  # sent as UTF-8, signed as sent


def test_the_body_is_exactly_the_compact_utf8_json_that_is_signed():
    assert webhooks.body(DOC) == (
        '{"type":"return.requested","timestamp":"2030-01-02T03:04:05.000Z",'
        '"data":{"rmaNumber":"RMA-1","orderNumber":"GG-1","items":[],"note":"déjà"}}')


@pytest.fixture
def settings(app):
    """The app's settings: signed webhooks to the local receiver (`hook`)."""
    return app.config["CONCIERGE"]


def to(settings, receiver):
    return settings.with_overrides({"CONCIERGE_WEBHOOK_URL": receiver.url})


def test_a_delivery_is_json_from_aurora_concierge_signed_as_received(settings, hook):
    webhooks.deliver(settings, DOC)
    ((headers, raw),) = hook.received
    sent = {name.lower(): value for name, value in headers.items()}  # names are case-blind
    assert (sent["content-type"], sent["user-agent"]) == ("application/json",
                                                          "aurora-concierge")
    assert Webhook(SECRET).verify(raw, headers)["data"] == DOC["data"]


@pytest.fixture
def away_from_utc(monkeypatch):
    """The server's local time zone is five hours behind UTC, as a host's may be."""
    monkeypatch.setenv("TZ", "EST5")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_the_signature_verifies_whatever_the_servers_time_zone(settings, hook,
                                                               away_from_utc):
    webhooks.deliver(settings, DOC)
    ((headers, raw),) = hook.received
    assert Webhook(SECRET).verify(raw, headers)["type"] == "return.requested"


@pytest.mark.parametrize(("status", "delivered"), [
    (200, True), (202, True), (299, True), (300, False), (404, False), (500, False)])
def test_only_a_2xx_answer_acknowledges(settings, status, delivered):
    receiver = AnsweringReceiver(status)
    try:
        if delivered:
            webhooks.deliver(to(settings, receiver), DOC)
        else:
            with pytest.raises(DeliveryFailed, match=f"^receiver answered HTTP {status}$"):
                webhooks.deliver(to(settings, receiver), DOC)
    finally:
        receiver.down()
    assert receiver.received == 1


@pytest.mark.parametrize("status", [301, 307, 308])
def test_a_redirect_is_a_failure_and_is_not_followed(settings, hook, status):
    # A moved endpoint must be fixed in the settings, not followed blindly with the event.
    receiver = AnsweringReceiver(status, location=hook.url)
    try:
        with pytest.raises(DeliveryFailed, match=f"HTTP {status}"):
            webhooks.deliver(to(settings, receiver), DOC)
    finally:
        receiver.down()
    assert hook.received == []


def test_an_unreachable_receiver_fails_with_the_kind_of_error(settings, hook):
    hook.down()
    with pytest.raises(DeliveryFailed, match=r"^ConnectionError: "):
        webhooks.deliver(settings, DOC)


def test_a_receiver_that_never_answers_fails_after_the_timeout(settings, hook):
    hook.hold = threading.Event()  # the receiver keeps the connection open for 30 s
    patient = settings.with_overrides({"CONCIERGE_WEBHOOK_TIMEOUT_SECONDS": 0.5})
    started = time.monotonic()
    try:
        with pytest.raises(DeliveryFailed, match=r"^Timeout: no answer within 0.5 s"):
            webhooks.deliver(patient, DOC)
    finally:
        hook.hold.set()
    assert 0.5 <= time.monotonic() - started < 5


def test_a_slow_receiver_answering_within_the_timeout_is_delivered(settings, hook):
    hook.hold = threading.Event()
    answer = threading.Timer(1.0, hook.hold.set)  # the receiver answers after a second
    answer.start()
    try:
        webhooks.deliver(settings.with_overrides({"CONCIERGE_WEBHOOK_TIMEOUT_SECONDS": 3}), DOC)
    finally:
        answer.cancel()
    assert len(hook.received) == 1


GOOD = {"CONCIERGE_WEBHOOK_URL": "https://hooks.example/c", "CONCIERGE_WEBHOOK_SECRET": SECRET}


@pytest.mark.parametrize("settings", [
    {"CONCIERGE_WEBHOOK_URL": "https://hooks.example/c"},
    {"CONCIERGE_WEBHOOK_SECRET": SECRET},
    {**GOOD, "CONCIERGE_WEBHOOK_SECRET": "not-whsec"},
    {**GOOD, "CONCIERGE_WEBHOOK_SECRET": "whsec_!!!notbase64"},
    {**GOOD, "CONCIERGE_WEBHOOK_SECRET": "whsec_" + base64.b64encode(b"short").decode()},
    {**GOOD, "CONCIERGE_WEBHOOK_URL": "ftp://hooks.example"},
    {"CONCIERGE_SMTP_URL": "mail.example:25"},
    {"CONCIERGE_SMTP_URL": "smtp://mail.example", "CONCIERGE_MAIL_FROM": "nobody"},
    {**GOOD, "CONCIERGE_WEBHOOK_TIMEOUT_SECONDS": 0},
    {**GOOD, "CONCIERGE_WEBHOOK_TIMEOUT_SECONDS": -1},
    {**GOOD, "CONCIERGE_WEBHOOK_TIMEOUT_SECONDS": 60.5},
], ids=["url-only", "secret-only", "no-prefix", "not-base64", "too-short", "not-http",
        "smtp-no-scheme", "from-without-address", "timeout-zero", "timeout-negative",
        "timeout-beyond-a-minute"])
def test_start_up_refuses_outbox_settings_that_cannot_work(config, settings):
    unset = {"CONCIERGE_WEBHOOK_URL": "", "CONCIERGE_WEBHOOK_SECRET": "",
             "CONCIERGE_SMTP_URL": ""}
    with pytest.raises(ConfigError):
        create_app({**config, **unset, **settings})


@pytest.mark.parametrize("timeout", [0.5, 10, 60])
def test_start_up_accepts_good_settings(config, timeout):
    token = "webhook-test-admin-token-0123456789"
    app = create_app({**config, **GOOD, "OUTBOX_WORKER": False,
                      "CONCIERGE_SMTP_URL": "smtps://u:p@mail.example:465",
                      "CONCIERGE_PUBLIC_URL": "https://concierge.shop.example",
                      "CONCIERGE_WEBHOOK_TIMEOUT_SECONDS": timeout,
                      "CONCIERGE_ADMIN_TOKEN": token})
    health = app.test_client().get("/api/concierge/health", headers={
        "Authorization": f"Bearer {token}"}).get_json()
    assert (health["mail"], health["webhook"]) == ("configured", "configured")


def test_the_environment_is_checked_before_gunicorn_starts_a_worker():
    from concierge import startup

    with pytest.raises(ConfigError, match="CONCIERGE_WEBHOOK_SECRET"):
        startup.load(environ={"CONCIERGE_WEBHOOK_URL": "https://hooks.example/c",
                         "CONCIERGE_WEBHOOK_SECRET": "whsec_tooshort"})


def test_a_receiver_trickling_its_answer_is_cut_off_at_the_overall_deadline(settings):
    receiver = RawReceiver(trickle)  # a byte every 0.2 s: no single read ever times out
    started = time.monotonic()
    try:
        with pytest.raises(DeliveryFailed, match=r"^Timeout: no answer within 1 s"):
            webhooks.deliver(to(settings.with_overrides(
                {"CONCIERGE_WEBHOOK_TIMEOUT_SECONDS": 1}), receiver), DOC)
        assert time.monotonic() - started < 2
        assert receiver.closed.wait(2)  # the connection is dropped, not left to trickle on
    finally:
        receiver.down()


def test_a_receiver_flooding_its_answer_is_read_a_few_kilobytes_at_most(settings):
    receiver = RawReceiver(flood)  # 200 OK and a 400 MB body
    started = time.monotonic()
    try:
        webhooks.deliver(to(settings, receiver), DOC)  # the status line is all it needs
        assert receiver.closed.wait(5)
    finally:
        receiver.down()
    assert time.monotonic() - started < 5
    # What the kernel's socket buffers took before the close, never the whole answer.
    assert receiver.sent < 32 * 1024 * 1024


@pytest.mark.parametrize(("smtp", "public_url", "starts"), [
    ("smtp://mail.example:587", "", False),
    ("smtps://u:p@mail.example:465", "http://shop.example", False),
    ("smtps://u:p@mail.example:465", "https://shop.example", True),
    ("smtp://127.0.0.1:2525", "", True),  # a local relay or a test server
    ("smtp://localhost:2525", "http://127.0.0.1:8000", True),
])
def test_real_mail_needs_an_https_public_url_for_its_links(config, smtp, public_url, starts):
    settings = {**config, "CONCIERGE_SMTP_URL": smtp, "CONCIERGE_PUBLIC_URL": public_url}
    if starts:
        create_app(settings)
    else:
        with pytest.raises(ConfigError, match="CONCIERGE_PUBLIC_URL must be an https://"):
            create_app(settings)
