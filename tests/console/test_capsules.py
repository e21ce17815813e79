"""/console/capsules: staff create, edit and retire capsules and see their holds."""

from __future__ import annotations

import pytest

from concierge.audit import recent

SHOP = "/api/concierge"
FORM = {"capsuleId": "capsule-linen-week", "name": "Linen Week",
        "description": "Three linen pieces.", "skus": "AUR-DR-0001\naur-kn-0006",
        "capacity": "2", "holdHours": "24", "imageUrl": "", "startsAt": "", "endsAt": ""}


def create(staff, **changes):
    return staff.post("/console/capsules", **{**FORM, **changes})


def test_the_list_shows_every_capsule_with_its_state(staff):
    page = staff.get("/console/capsules").get_data(as_text=True)
    assert "The Weekend Edit" in page
    assert "capsule-last-one" in page
    assert "on offer" in page


def test_staff_create_a_capsule_that_shoppers_then_see(staff, client, app):
    answer = create(staff)
    assert answer.status_code == 303
    assert answer.headers["Location"].endswith("/console/capsules/capsule-linen-week")
    shown = {c["capsuleId"]: c for c in client.get(f"{SHOP}/capsules").get_json()["items"]}
    assert shown["capsule-linen-week"]["skus"] == ["AUR-DR-0001", "AUR-KN-0006"]
    with app.app_context():
        entry = recent()[0]
    assert (entry["action"], entry["target"], entry["who"]["staff"]) == (
        "capsules.created", "capsule-linen-week", "Robin")


def test_saving_the_same_form_again_writes_no_audit(staff, app):
    create(staff)
    create(staff)
    with app.app_context():
        assert [e["action"] for e in recent()].count("capsules.created") == 1
        assert "capsules.updated" not in [e["action"] for e in recent()]


def test_staff_edit_a_capsule_and_see_its_holds(staff, client):
    create(staff)
    client.post(f"{SHOP}/capsule-holds", json={"capsuleId": "capsule-linen-week",
                                               "email": "ada@example.com"})
    create(staff, name="Linen Fortnight", capacity="3")
    page = staff.get("/console/capsules/capsule-linen-week").get_data(as_text=True)
    assert "Linen Fortnight" in page
    assert "ada@example.com" in page
    assert "1 of 3" in page


def test_retiring_hides_it_from_shoppers_and_keeps_the_holds(staff, client, app):
    create(staff)
    held = client.post(f"{SHOP}/capsule-holds", json={
        "capsuleId": "capsule-linen-week", "email": "ada@example.com"}).get_json()
    answer = staff.post("/console/capsules/capsule-linen-week/retire")
    assert answer.status_code == 303
    shown = [c["capsuleId"] for c in client.get(f"{SHOP}/capsules").get_json()["items"]]
    assert "capsule-linen-week" not in shown
    assert client.get(f"{SHOP}/capsule-holds/{held['holdId']}").get_json()["status"] == "active"
    page = staff.get("/console/capsules/capsule-linen-week").get_data(as_text=True)
    assert "retired" in page
    assert "offer again" in page
    with app.app_context():
        assert recent()[0]["action"] == "capsules.retired"


@pytest.mark.parametrize(("changes", "says"), [
    ({"capsuleId": "Bad Id"}, "Must be 1-64 characters"),
    ({"skus": "NO-SUCH-SKU"}, "Sku 1: No product or variant has this sku."),
    ({"capacity": "0"}, "Must be greater than or equal to 1"),
    ({"holdHours": "many"}, "Not a valid integer"),
    ({"startsAt": "2027-01-02T10:00", "endsAt": "2027-01-01T10:00"}, "Must be later than"),
])
def test_a_bad_form_is_shown_again_with_what_is_wrong(staff, changes, says):
    answer = create(staff, **changes)
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert says in page
    assert 'aria-invalid="true"' in page or "Sku 1" in page


def test_retiring_an_unknown_capsule_is_404(staff):
    assert staff.post("/console/capsules/capsule-nobody/retire").status_code == 404


def test_the_pages_need_a_sign_in(client):
    answer = client.get("/console/capsules")
    assert answer.status_code in (302, 303)


def test_an_unknown_sku_marks_the_skus_field_for_screen_readers(staff):
    page = create(staff, skus="AUR-DR-0001\nNO-SUCH-SKU").get_data(as_text=True)
    assert 'aria-describedby="skus-hint skus-items-error" aria-invalid="true"' in page
    assert "Sku 2: No product or variant has this sku." in page
