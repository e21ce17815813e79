"""The console's forms and page filters."""

from __future__ import annotations

from marshmallow import Schema, fields, post_load, validate

from ..conversations.schemas import MESSAGE_MAX
from ..conversations.schemas import STATUSES as CONVERSATION_STATUSES
from ..schemas import Email, TrimmedString
from .accounts import PASSWORD_MIN, ROLES
from .overview import PERIODS
from .workflow import RETURN_STATUSES, TICKET_STATUSES

OUTBOX_STATUSES = ("failed", "pending", "sending", "delivered", "skipped")


class SignInSchema(Schema):
    """The admin token, and the staff member's name for the audit."""

    token = fields.String(required=True, validate=validate.Length(min=1, max=500))
    staff = TrimmedString(load_default="", validate=validate.Length(max=60))

    @post_load
    def someone(self, data, **kwargs):
        """Name an anonymous sign-in "staff" in the audit."""
        data["staff"] = data["staff"] or "staff"
        return data


class AccountSignInSchema(Schema):
    """A staff account's email and password."""

    email = TrimmedString(required=True, validate=validate.Length(max=254))
    password = fields.String(required=True, validate=validate.Length(min=1, max=500))


class StaffAccountSchema(Schema):
    """A new staff account, from the admins' Staff page."""

    name = TrimmedString(required=True, validate=validate.Length(max=60))
    email = Email(required=True, validate=validate.Length(max=254))
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    password = fields.String(required=True, validate=validate.Length(min=PASSWORD_MIN, max=500))


class MoveSchema(Schema):
    """The status a record moves to."""

    to = fields.String(required=True,
                       validate=validate.OneOf(RETURN_STATUSES + TICKET_STATUSES))
    # Why staff reject a return: told to the shopper in the email.
    reason = TrimmedString(load_default="", validate=validate.Length(max=500))


class FlagSchema(Schema):
    """The flag's switch (an unticked box is not sent) and canary percent."""

    enabled = fields.Boolean(load_default=False, truthy={"on", "true", "1"})
    canaryPercent = fields.Integer(required=True, validate=validate.Range(min=0, max=100))
    # Sent by the confirmation step: turning the concierge off for every shopper.
    confirm = fields.Boolean(load_default=False, truthy={"yes"})


class OverviewQuery(Schema):
    """The overview's period in days."""

    days = fields.Integer(load_default=30, validate=validate.OneOf(PERIODS))


class ReturnsQuery(Schema):
    """The returns list's filter."""

    status = fields.String(load_default=None, validate=validate.OneOf(("", *RETURN_STATUSES)))
    number = TrimmedString(load_default=None, validate=validate.Length(max=40))


class TicketsQuery(Schema):
    """The tickets list's filter."""

    status = fields.String(load_default=None, validate=validate.OneOf(("", *TICKET_STATUSES)))


class OutboxQuery(Schema):
    """Which deliveries to list."""

    status = fields.String(load_default="failed", validate=validate.OneOf(OUTBOX_STATUSES))


class InboxQuery(Schema):
    """The inbox's status tab, or a search by email or order number."""

    status = fields.String(load_default="open", validate=validate.OneOf(CONVERSATION_STATUSES))
    q = TrimmedString(load_default="", validate=validate.Length(max=254))


class ReplySchema(Schema):
    """A staff reply: 1 to 4,000 characters once trimmed."""

    body = TrimmedString(required=True, validate=validate.Length(min=1, max=MESSAGE_MAX))


class ConversationMoveSchema(Schema):
    """Close or reopen."""

    to = fields.String(required=True, validate=validate.OneOf(("open", "closed")))


class AssignSchema(Schema):
    """The person a conversation is given to ("" = nobody)."""

    assignee = TrimmedString(load_default="", validate=validate.Length(max=60))
