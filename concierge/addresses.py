"""Check email addresses strictly: the one rule every schema and the mailer apply.

email-validator does the syntax: a dot-atom local part, ASCII or the
internationalised form of RFC 6531 (sent only through a server offering
SMTPUTF8), never a quoted string or an IP literal; the domain is kept in its
ASCII (IDNA) form. On top of it no RFC 2047 encoded word, which a header parser
would decode into other recipients after validation.
"""

from __future__ import annotations

import re

from email_validator import EmailNotValidError, validate_email

MAX_LENGTH = 254  # RFC 5321's limit for a forward path, without its angle brackets
# An RFC 2047 encoded word, =?charset?encoding?text?=: Python's header parser decodes
# it (into other addresses, or an exception). "=?" alone, as a dot-atom may hold, is kept.
ENCODED_WORD = re.compile(r"=\?[^?]*\?[^?]*\?.*\?=")


class AddressRefused(ValueError):
    """The text is not an address mail can be sent to as it is."""


def normalise(value: str) -> str:
    """Return the address as stored and sent (lower case, an IDN domain in ASCII), or raise."""
    try:
        # test_environment: the .test names of RFC 2606 pass (nothing is looked up in DNS
        # anyway); the other special-use names (localhost, .local, .invalid) do not.
        checked = validate_email(value, check_deliverability=False, allow_smtputf8=True,
                                 allow_quoted_local=False, allow_domain_literal=False,
                                 allow_display_name=False, allow_empty_local=False,
                                 test_environment=True)
    except EmailNotValidError as error:
        raise AddressRefused(str(error)) from None
    address = f"{checked.local_part}@{checked.ascii_domain}".lower()
    if ENCODED_WORD.search(address):
        raise AddressRefused("An email address cannot contain an encoded word (=?…?=).")
    if len(address) > MAX_LENGTH:
        raise AddressRefused(f"An email address is at most {MAX_LENGTH} characters.")
    return address
