"""A console with an admin token, and a signed-in staff client."""

from __future__ import annotations

import re

import pytest

from .activity import TOKEN

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def config(config):
    return {**config, "CONCIERGE_ADMIN_TOKEN": TOKEN}


class Staff:
    """A test client that signs in and posts forms with their CSRF token."""

    def __init__(self, client):
        self.client = client

    def token(self, path: str = "/console/sign-in") -> str:
        """Return the CSRF token of the form on a page."""
        return CSRF.search(self.client.get(path).get_data(as_text=True)).group(1)

    def sign_in(self, token: str = TOKEN, staff: str = "Robin"):
        """Post the sign-in form."""
        return self.client.post("/console/sign-in", data={
            "token": token, "staff": staff, "csrf_token": self.token()})

    def post(self, path: str, **data):
        """Post a console form with a valid CSRF token."""
        return self.client.post(path, data={**data, "csrf_token": self.token("/console/flag")})

    def get(self, path: str, **kwargs):
        """Fetch a console page."""
        return self.client.get(path, **kwargs)


@pytest.fixture
def staff(client) -> Staff:
    """A signed-in staff member."""
    member = Staff(client)
    assert member.sign_in().status_code == 303
    return member
