"""The console's Privacy page: find, download the export, erase after a confirmation."""

from __future__ import annotations

import json
import re

from ..console.conftest import Staff
from .shopper import ADMIN_TOKEN

PAGE = "/console/privacy"


def _staff(client) -> Staff:
    staff = Staff(client)
    assert staff.sign_in(ADMIN_TOKEN).status_code == 303
    return staff


def _text(answer) -> str:
    return re.sub(r"\s+", " ", answer.get_data(as_text=True))


def test_the_page_is_for_signed_in_staff_and_listed_in_the_menu(client):
    answer = client.get(PAGE)
    assert answer.status_code == 302
    assert "/console/sign-in" in answer.location
    page = _staff(client).get(PAGE)
    assert page.status_code == 200
    assert 'href="/console/privacy" aria-current="page">Privacy' in _text(page)


def test_find_lists_what_is_stored_by_collection(client, jordan, casey):
    staff = _staff(client)
    answer = staff.post(f"{PAGE}/find", email=" Jordan.Lee@Example.com")
    text = _text(answer)
    assert answer.status_code == 200
    assert "Stored about jordan.lee@example.com" in text
    assert "<code>orders</code></td><td class=\"num\">2</td>" in text
    assert "<code>returns</code> (kept without her details)" in text
    assert "Erase…" in text


def test_download_is_the_export_as_a_json_attachment(client, jordan, casey):
    answer = _staff(client).post(f"{PAGE}/export", email=jordan.email)
    assert answer.status_code == 200
    assert answer.mimetype == "application/json"
    assert answer.headers["Content-Disposition"].startswith("attachment; filename=")
    body = json.loads(answer.get_data())
    assert body["email"] == jordan.email
    assert len(body["collections"]["stylistTickets"]) == 1
    assert casey.email not in answer.get_data(as_text=True)


def test_erase_asks_first_then_erases_and_says_what_went(client, db, jordan, casey):
    staff = _staff(client)
    asked = staff.post(f"{PAGE}/erase", email=jordan.email)
    assert asked.status_code == 200
    assert "Erase everything stored about jordan.lee@example.com?" in _text(asked)
    assert 'name="confirm" value="true"' in _text(asked)
    assert db.stylistTickets.count_documents({"email": jordan.email}) == 1  # not yet
    done = staff.post(f"{PAGE}/erase", email=jordan.email, confirm="true")
    assert done.status_code == 303
    assert db.stylistTickets.count_documents({"email": jordan.email}) == 0
    assert db.orders.count_documents({"email": jordan.email}) == 0
    assert db.orders.count_documents({"email": casey.email}) == 2  # hers and GG-10212
    note = _text(client.get(PAGE))
    assert "Erased " in note
    assert "stylistTickets 1" in note
    entry = db.audit.find_one({"action": "privacy.erased"})
    assert entry["who"]["staff"] == "Robin"
    again = _text(staff.post(f"{PAGE}/erase", email=jordan.email))
    assert "Nothing stored holds this email" in again


def test_forms_without_the_csrf_token_are_refused(client, db, jordan):
    _staff(client)
    answer = client.post(f"{PAGE}/erase", data={"email": jordan.email, "confirm": "true"})
    assert answer.status_code == 400
    assert db.stylistTickets.count_documents({"email": jordan.email}) == 1


def test_a_malformed_email_is_shown_as_an_error(client):
    answer = _staff(client).post(f"{PAGE}/find", email="jordan@")
    assert answer.status_code == 422
    assert "Not a valid email address." in _text(answer)
