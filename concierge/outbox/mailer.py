"""Shopper emails: composed from Jinja templates, sent through SMTP.

smtplib and email.message.EmailMessage do the protocol and the MIME; this
module only picks the template, the headers and the transport security.
"""

from __future__ import annotations

import functools
import ipaddress
import smtplib
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, parseaddr
from urllib.parse import unquote, urlsplit

from babel.dates import format_datetime
from babel.numbers import format_currency
from flask import current_app
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l

from ..config import ConfigError
from ..i18n import current_locale, stored_locale
from .errors import DeliveryFailed, PermanentFailure, Skipped

# Where init_app keeps the check asked before each email (a subscriber may have left).
RECIPIENT_CHECK = "concierge_outbox_recipient_check"
# And the maker of a conversation link's token: minted as the email is composed, so no
# stored document ever holds a token that opens a conversation (only its hash is kept).
CONVERSATION_TOKEN = "concierge_outbox_conversation_token"  # noqa: S105 - a key name

TIMEOUT = 15  # seconds per SMTP operation; well inside the lease
SCHEMES = {"smtp": 25, "smtps": 465}
# The template (templates/email/NAME.txt and .html) of each event type that emails.
TEMPLATES = {
    "order.updated": "order_updated",
    "capsule_hold.created": "capsule_hold",
    "return.requested": "return_requested",
    "return.status_changed": "return_status_changed",
    "return.label_ready": "return_label",
    "stylist_ticket.created": "stylist_ticket",
    "order_subscription.confirm": "subscription_confirm",  # an email alone, no webhook
    "conversation.message_created": "conversation_reply",  # only store replies email
    "stock_alert.sent": "stock_alert",
}
# The shopper's words for the statuses an email or its page names (orders, returns, holds).
STATUS_WORDS = {
    "processing": _l("processing"), "shipped": _l("shipped"), "in_transit": _l("in transit"),
    "out_for_delivery": _l("out for delivery"), "delivered": _l("delivered"),
    "cancelled": _l("cancelled"), "returned": _l("returned"), "requested": _l("requested"),
    "approved": _l("approved"), "rejected": _l("rejected"), "received": _l("received"),
    "refunded": _l("refunded"), "active": _l("active"), "expired": _l("expired"),
    "released": _l("released"),
}


@dataclass(frozen=True)
class SmtpTarget:
    """Where and how to send: from CONCIERGE_SMTP_URL."""

    host: str
    port: int
    implicit_tls: bool
    username: str
    password: str


def parse_url(url: str) -> SmtpTarget:
    """Read smtp://[user:pass@]host[:port] (STARTTLS when offered) or smtps:// (TLS)."""
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES or not parts.hostname:
        raise ConfigError("CONCIERGE_SMTP_URL must look like smtp://host:port or "
                         f"smtps://user:password@host:465 (got scheme {parts.scheme!r}).")
    return SmtpTarget(parts.hostname, parts.port or SCHEMES[parts.scheme],
                      parts.scheme == "smtps", unquote(parts.username or ""),
                      unquote(parts.password or ""))


def loopback(host: str) -> bool:
    """Tell whether a host name or address is this machine."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


@functools.cache
def default_tls() -> ssl.SSLContext:
    """Return the system's TLS context, made once: loading the CA store costs ~100 ms."""
    return ssl.create_default_context()


def send(url: str, message: EmailMessage, tls: ssl.SSLContext | None = None,
         to: str | None = None) -> None:
    """Send one message, to `to` alone when given; TLS as the URL says, login when it names a user.

    With `to` the envelope names exactly that address: never what a header
    parser makes of the To header.
    """
    target = parse_url(url)
    tls = tls or default_tls()
    if target.implicit_tls:
        smtp = smtplib.SMTP_SSL(target.host, target.port, timeout=TIMEOUT, context=tls)
    else:
        smtp = smtplib.SMTP(target.host, target.port, timeout=TIMEOUT)
    with smtp:
        if not target.implicit_tls:
            smtp.ehlo()
            if smtp.has_extn("starttls"):
                smtp.starttls(context=tls)
                smtp.ehlo()
            elif target.username and not loopback(target.host):
                raise DeliveryFailed("the mail server offers no STARTTLS; refusing to send "
                                     "the password in the clear (use smtps://)")
        if target.username:
            smtp.login(target.username, target.password)
        smtp.send_message(message, to_addrs=[to] if to else None)


def _links(doc: dict, public_url: str) -> dict:
    context = doc["email"]["context"]
    links = {}
    if context.get("holdId"):
        links["hold"] = f"{public_url}/holds/{context['holdId']}"
    if context.get("confirmId"):
        links["confirm"] = f"{public_url}/order-updates/{context['confirmId']}"
    if context.get("ticketId"):
        links["ticket"] = f"{public_url}/tickets/{context['ticketId']}"
    make_token = current_app.extensions.get(CONVERSATION_TOKEN)
    if context.get("conversationId") and make_token is not None:
        conversation_id = context["conversationId"]
        links["conversation"] = (f"{public_url}/conversations/{conversation_id}"
                                 f"?token={make_token(conversation_id)}")
    if context.get("subscriptionId"):
        links["unsubscribe"] = f"{public_url}/unsubscribe/{context['subscriptionId']}"
    if context.get("alertId"):
        links["unsubscribe"] = f"{public_url}/stock-alerts/{context['alertId']}/unsubscribe"
    if context.get("productUrl"):
        url = context["productUrl"]
        links["product"] = f"{public_url}{url}" if url.startswith("/") else url
    return links


def compose(doc: dict, config) -> EmailMessage:
    """Build the email of one delivery in its shopper's language (saved on the record)."""
    with force_locale(stored_locale(doc["email"]["context"])):
        return _compose(doc, config)


def _compose(doc: dict, config) -> EmailMessage:
    name = TEMPLATES.get(doc["type"])
    if name is None:
        raise PermanentFailure(f"no email template for {doc['type']}")
    links = _links(doc, config.public_url or f"http://{config.HOST}:{config.PORT}")
    context = {**doc["data"], **doc["email"]["context"], "links": links,
               "contact_url": config.CONCIERGE_CONTACT_URL, "locale": current_locale()}
    env = current_app.jinja_env
    text = env.get_template(f"email/{name}.txt").make_module(context)
    message = EmailMessage()
    message["Subject"] = text.subject.strip()
    message["From"] = config.CONCIERGE_MAIL_FROM
    message["To"] = recipient(doc["email"]["to"])
    message["Date"] = formatdate(usegmt=True)
    domain = parseaddr(config.CONCIERGE_MAIL_FROM)[1].rpartition("@")[2] or "localhost"
    # The same id on every retry, so a mailbox that got it twice can tell.
    message["Message-ID"] = f"<{doc['_id']}@{domain}>"
    message["Auto-Submitted"] = "auto-generated"
    if "unsubscribe" in links:  # RFC 8058 one-click: the POST alone cancels
        message["List-Unsubscribe"] = f"<{links['unsubscribe']}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(str(text).strip() + "\n")
    html = env.get_template(f"email/{name}.html").render(context, subject=message["Subject"])
    message.add_alternative(html, subtype="html")
    return message


def recipient(stored: str) -> Address:
    """Return the stored address as the To header, or raise PermanentFailure.

    Parsed as an addr-spec and compared with what was stored, so that nothing
    (an encoded word from before the strict check) becomes another recipient.
    """
    local, _, domain = stored.rpartition("@")
    try:
        # An internationalised local part is not an RFC 5322 addr-spec: built, not parsed.
        address = (Address(addr_spec=stored) if local.isascii()
                   else Address(username=local, domain=domain))
    except (ValueError, IndexError, TypeError) as error:
        raise PermanentFailure(f"not an address mail can be sent to: {error}") from None
    if address.addr_spec != stored:
        raise PermanentFailure("not an address mail can be sent to: it reads as "
                               f"{address.addr_spec!r}")
    return address


def _still_wanted(doc: dict) -> bool:
    """Ask the app's recipient check (outbox.init_app) whether this email is still wanted."""
    check = current_app.extensions.get(RECIPIENT_CHECK)
    return check is None or check(doc["email"]["context"])


def deliver(config, doc: dict) -> None:
    """Send one email delivery; raise why not."""
    if not _still_wanted(doc):
        raise Skipped("the subscriber cancelled before this update went out")
    try:
        message = compose(doc, config)
    except DeliveryFailed:
        raise
    except Exception as error:  # the same document composes the same way next time
        raise PermanentFailure(f"cannot compose: {type(error).__name__}: {error}") from error
    try:
        send(config.CONCIERGE_SMTP_URL, message, to=doc["email"]["to"])
    except smtplib.SMTPNotSupportedError as error:  # e.g. SMTPUTF8: the same next time
        raise PermanentFailure(f"cannot send: {error}") from error
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _ in error.recipients.values()]
        if all(code >= 500 for code in codes):
            raise PermanentFailure(f"address refused: {error.recipients}") from error
        raise DeliveryFailed(f"address deferred: {error.recipients}") from error
    except (smtplib.SMTPException, OSError) as error:
        raise DeliveryFailed(f"{type(error).__name__}: {error}") from error
    except ValueError as error:  # a message that cannot be encoded (UnicodeEncodeError)
        raise PermanentFailure(f"cannot send: {type(error).__name__}: {error}") from error


def email_time(value) -> str:
    """Format a datetime (or its ISO string) for an email: Thu 26 Nov 2026, 14:05 UTC."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    # Translators: a CLDR date pattern (EEE weekday, d day, MMM month, y year, HH:mm time);
    # text in single quotes is printed as it is.
    pattern = gettext("EEE d MMM y, HH:mm 'UTC'")
    return format_datetime(value.astimezone(UTC), pattern, tzinfo=UTC, locale=current_locale())


def email_money(value: dict) -> str:
    """Format {amount, currency} (minor units) in the email's language: 152,90 $US."""
    return format_currency(value["amount"] / 100, value["currency"], locale=current_locale())


def status_words(status: str) -> str:
    """Return the shopper's words for an order or return status, in the email's language."""
    return str(STATUS_WORDS.get(status, status.replace("_", " ")))
