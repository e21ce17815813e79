"""The return's confirmation email says what each item becomes, and the store's next steps."""

from __future__ import annotations

import pytest

from concierge.outbox import worker

from .test_exchanges import ORDER, ask, deliver_order, line

ADDRESS = "Aurora Returns\n12 Quai de Jemmapes\n75010 Paris"


@pytest.fixture
def config(config, mail):
    from ..merchant.conftest import BOOTSTRAP

    return {**config, "CONCIERGE_MERCHANT_KEY": BOOTSTRAP, "CONCIERGE_SMTP_URL": mail.url,
            "OUTBOX_WORKER": False, "CONCIERGE_STORE_CREDIT_BONUS_PERCENT": 10,
            "CONCIERGE_RETURN_ADDRESS": ADDRESS,
            "CONCIERGE_RETURN_INSTRUCTIONS": "Drop it at any post office; the label is free."}


def test_the_confirmation_names_each_resolution_and_the_return_address(app, client, db, mail):
    deliver_order(client)
    answer = ask(client, "email-resolutions-1",
                 line(resolution="exchange", exchangeSku="VAR-NVY-S"),
                 line("VAR-NVY-M", resolution="store_credit"))
    assert answer.status_code == 201
    with app.app_context():
        worker.deliver_due(app.config["CONCIERGE"], db, ["email"])
    (message,) = mail.messages
    plain = message.get_body(("plain",)).get_content()
    assert "exchanged for VAR-NVY-S, set aside for you" in plain
    assert "store credit of $152.90" in plain
    assert "Send it within 14 days to: Aurora Returns" in plain
    assert "75010 Paris" in plain
    assert "Drop it at any post office; the label is free." in plain
    assert ORDER in message["Subject"]
