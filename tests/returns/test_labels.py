"""PUT /merchant/returns/<rmaNumber>/label: the store's label, emailed to the shopper once."""

from __future__ import annotations

import pytest

from concierge.outbox import worker

from ..merchant.conftest import BOOTSTRAP

API = "/api/concierge"
AUTH = {"Authorization": f"Bearer {BOOTSTRAP}"}
LABEL = "https://labels.example.com/rma.pdf"


@pytest.fixture
def config(config, mail):
    return {**config, "CONCIERGE_MERCHANT_KEY": BOOTSTRAP, "CONCIERGE_SMTP_URL": mail.url,
            "OUTBOX_WORKER": False, "CONCIERGE_RETURN_ADDRESS": "Aurora Returns, Paris"}


@pytest.fixture
def rma(client) -> str:
    answer = client.post(f"{API}/returns", headers={"Idempotency-Key": "label-return-1"},
                         json={"orderNumber": "GG-10457", "email": "jordan.lee@example.com",
                               "items": [{"sku": "AUR-TP-0001", "quantity": 1,
                                          "reason": "too_small"}]})
    assert answer.status_code == 201
    return answer.get_json()["rmaNumber"]


def deliver(app, db):
    with app.app_context():
        worker.deliver_due(app.config["CONCIERGE"], db, ["email"])


def test_the_label_is_stored_and_emailed_once(app, client, db, mail, rma):
    deliver(app, db)
    mail.messages.clear()
    answer = client.put(f"{API}/merchant/returns/{rma}/label", json={"labelUrl": LABEL},
                        headers=AUTH)
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["labelUrl"] == LABEL
    assert answer.get_json()["labelAt"].endswith("Z")
    assert client.put(f"{API}/merchant/returns/{rma}/label", json={"labelUrl": LABEL},
                      headers=AUTH).status_code == 200
    deliver(app, db)
    (message,) = mail.messages
    assert message["To"] == "jordan.lee@example.com"
    assert message["Subject"] == f"Your return label for {rma}"
    plain = message.get_body(("plain",)).get_content()
    assert LABEL in plain
    assert "Aurora Returns, Paris" in plain
    webhook = db.outbox.find_one({"type": "return.label_ready", "channel": "webhook"})
    assert webhook["data"] == {"rmaNumber": rma, "orderNumber": "GG-10457", "labelUrl": LABEL}


@pytest.mark.parametrize(("path", "body", "status", "code"), [
    ("/merchant/returns/RMA-AAAAAAAAAAAAAAAA/label", {"labelUrl": LABEL}, 404,
     "return_not_found"),
    ("/merchant/returns/{rma}/label", {"labelUrl": "/relative.pdf"}, 422, "validation_error"),
    ("/merchant/returns/{rma}/label", {"labelUrl": "javascript:alert(1)"}, 422,
     "validation_error"),
    ("/merchant/returns/{rma}/label", {}, 422, "validation_error"),
])
def test_bad_labels_are_refused(client, rma, path, body, status, code):
    answer = client.put(API + path.format(rma=rma), json=body, headers=AUTH)
    assert answer.status_code == status
    assert answer.get_json()["code"] == code


def test_a_label_needs_the_orders_scope(client, rma):
    answer = client.put(f"{API}/merchant/returns/{rma}/label", json={"labelUrl": LABEL})
    assert answer.status_code == 401
