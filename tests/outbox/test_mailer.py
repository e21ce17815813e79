"""The mailer against a real SMTP server (aiosmtpd): TLS modes, login, MIME, refusals."""

from __future__ import annotations

import ssl
from email.message import EmailMessage

import pytest
import trustme
from aiosmtpd.smtp import AuthResult, LoginPassword

from concierge.config import ConfigError
from concierge.outbox import mailer
from concierge.outbox.errors import DeliveryFailed

from .servers import MailServer


@pytest.fixture(scope="module")
def ca():
    return trustme.CA()


@pytest.fixture
def server_tls(ca) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    return context


@pytest.fixture
def client_tls(ca) -> ssl.SSLContext:
    context = ssl.create_default_context()
    ca.configure_trust(context)
    return context


LOGINS: list[bytes] = []


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and \
        (auth_data.login, auth_data.password) == (b"shop", b"p@ss word")
    if ok:
        LOGINS.append(auth_data.login)
    return AuthResult(success=ok)


def message(to="avery@example.com") -> EmailMessage:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "shop@aurora.test", to, "Hello"
    msg.set_content("plain")
    return msg


@pytest.fixture
def servers():
    started = []

    def start(**options):
        started.append(MailServer(**options).up())
        return started[-1]

    yield start
    for server in started:
        server.down()


@pytest.mark.parametrize(("url", "expected"), [
    ("smtp://127.0.0.1:2525", ("127.0.0.1", 2525, False, "", "")),
    ("smtp://mail.example", ("mail.example", 25, False, "", "")),
    ("smtps://u:p%40ss@mail.example", ("mail.example", 465, True, "u", "p@ss")),
    ("smtp://key:secret@mail.example:587", ("mail.example", 587, False, "key", "secret")),
])
def test_the_url_says_host_port_tls_and_credentials(url, expected):
    target = mailer.parse_url(url)
    assert (target.host, target.port, target.implicit_tls, target.username,
            target.password) == expected


@pytest.mark.parametrize("url", ["http://mail.example", "smtp://", "mail.example:25"])
def test_other_urls_are_refused(url):
    with pytest.raises(ConfigError):
        mailer.parse_url(url)


def test_starttls_is_used_when_offered_and_login_happens_inside_it(servers, server_tls,
                                                                   client_tls):
    server = servers(tls_context=server_tls, require_starttls=True,
                     authenticator=authenticator, auth_required=True)
    url = f"smtp://shop:p%40ss%20word@127.0.0.1:{server.port}"
    mailer.send(url, message(), tls=client_tls)
    assert [m["Subject"] for m in server.messages] == ["Hello"]
    assert server.envelopes[0].rcpt_tos == ["avery@example.com"]


def test_implicit_tls_for_smtps(servers, server_tls, client_tls):
    # aiosmtpd only knows STARTTLS as TLS; the socket here is TLS from the first byte.
    server = servers(ssl_context=server_tls, authenticator=authenticator,
                     auth_require_tls=False)
    LOGINS.clear()
    mailer.send(f"smtps://shop:p%40ss%20word@127.0.0.1:{server.port}", message(),
                tls=client_tls)
    assert len(server.messages) == 1
    assert LOGINS == [b"shop"]


def test_an_untrusted_certificate_is_refused(servers, server_tls):
    server = servers(tls_context=server_tls, require_starttls=True)
    with pytest.raises(ssl.SSLCertVerificationError):
        mailer.send(f"smtp://127.0.0.1:{server.port}", message())  # system trust store


def ticket_email(to: str) -> dict:
    return {"_id": "msg_x.1", "type": "stylist_ticket.created", "channel": "email",
            "data": {"ticketNumber": "ST-1", "name": "A", "preferredContact": "email",
                     "message": "m"},
            "email": {"to": to, "context": {}}}


def test_a_refused_login_is_a_failure_to_retry(app, servers, server_tls):
    server = servers(tls_context=server_tls, authenticator=authenticator,
                     auth_required=True)
    settings = app.config["CONCIERGE"].with_overrides(
        {"CONCIERGE_SMTP_URL": f"smtp://shop:wrong@127.0.0.1:{server.port}"})
    with app.app_context(), pytest.raises(DeliveryFailed) as raised:
        mailer.deliver(settings, ticket_email("avery@example.com"))
    assert not raised.value.permanent
    assert server.messages == []


def test_an_address_refused_for_good_fails_permanently(app, servers):
    server = servers()
    server.refused.add("nobody@example.com")
    settings = app.config["CONCIERGE"].with_overrides({"CONCIERGE_SMTP_URL": server.url})
    with app.app_context(), pytest.raises(DeliveryFailed) as raised:
        mailer.deliver(settings, ticket_email("nobody@example.com"))
    assert raised.value.permanent
    assert server.messages == []
