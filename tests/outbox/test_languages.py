"""Shopper emails speak the language the shopper used: saved on the record, sent through SMTP."""

from __future__ import annotations

import pytest

from concierge.outbox import worker

from ..console.activity import TOKEN
from ..console.conftest import Staff
from ..support import subscribing
from .conftest import enqueue_order_update

API = "/api/concierge"


@pytest.fixture
def config(config):
    return {**config, "OUTBOX_WORKER": False, "CONCIERGE_ADMIN_TOKEN": TOKEN}


def deliver_email(app, db) -> dict:
    with app.app_context():
        return worker.deliver_due(app.config["CONCIERGE"], db, ["email"])


def only_message(app, db, mail):
    assert deliver_email(app, db)["delivered"] == 1
    (message,) = mail.messages
    return (message, message.get_body(("plain",)).get_content(),
            message.get_body(("html",)).get_content())


def post_return(client, language: str):
    return client.post(f"{API}/returns", headers={
        "Idempotency-Key": f"lang-{language}-0001", "Accept-Language": language}, json={
        "orderNumber": "GG-10457", "email": "jordan.lee@example.com",
        "items": [{"sku": "AUR-TP-0001", "quantity": 1, "reason": "too_small"}]})


@pytest.mark.parametrize(("language", "subject", "sentence"), [
    ("fr-FR,fr;q=0.9", "Commande GG-11982 : en transit",
     "Vous recevez cet e-mail parce que vous avez demandé à suivre cette commande."),
    ("de", "Bestellung GG-11982: unterwegs", "Diese Benachrichtigungen abbestellen"),
    ("es-MX, en;q=0.5", "Pedido GG-11982: en tránsito", "Dejar de recibir estos avisos"),
    ("pt-BR", "Order GG-11982: in transit", "Stop these updates"),
], ids=["fr", "de", "es-MX", "pt-BR-falls-back-to-en"])  # ASCII ids: mutmut selects by id
def test_an_order_update_comes_in_the_language_she_subscribed_in(
        app, client, db, mail, language, subject, sentence):
    subscribing.subscribe(client, db, "a@example.com", headers={"Accept-Language": language})
    db.outbox.delete_many({"type": "order_subscription.confirm"})  # its link was used
    with app.app_context():
        enqueue_order_update(db, {"orderNumber": "GG-11982", "status": "in_transit",
                                             "at": "2030-01-02T08:00:00Z",
                                             "description": "Arrived at the Newark hub"})
    message, plain, html = only_message(app, db, mail)
    assert message["Subject"] == subject
    assert sentence in html
    assert "Arrived at the Newark hub" in plain  # the store's words pass as they are


def test_a_later_subscribe_in_another_language_switches_her_emails(app, client, db, mail):
    body = {"orderNumber": "GG-11982", "postalCode": "10001", "channel": "email",
            "destination": "a@example.com"}
    client.post(f"{API}/order-subscriptions", headers={"Accept-Language": "de"}, json=body)
    client.post(f"{API}/order-subscriptions", headers={"Accept-Language": "es"}, json=body)
    assert db.orderSubscriptions.find_one({"destination": "a@example.com"})["locale"] == "es"
    # Until confirmed, the link asks in the latest language too.
    assert [d["email"]["context"]["locale"] for d in db.outbox.find(
        {"type": "order_subscription.confirm"}).sort("createdAt")] == ["de", "es"]


def test_a_capsule_hold_is_confirmed_in_german_with_a_german_date(app, client, db, mail):
    answer = client.post(f"{API}/capsule-holds", headers={"Accept-Language": "de-DE"}, json={
        "capsuleId": "capsule-weekend-edit", "email": "casey.morgan@example.com"})
    assert answer.status_code == 201
    assert db.capsuleHolds.find_one({"email": "casey.morgan@example.com"})["locale"] == "de"
    message, plain, html = only_message(app, db, mail)
    assert message["Subject"].startswith("Ihre Reservierung: ")
    assert "Sie gilt bis " in plain
    assert " UTC." in plain
    # CLDR's German: full weekday, day with a dot, full month name.
    assert any(day in plain for day in ("Montag, ", "Dienstag, ", "Mittwoch, ", "Donnerstag, ",
                                        "Freitag, ", "Samstag, ", "Sonntag, "))
    assert '<html lang="de">' in html
    assert "Reservierung ansehen oder freigeben" in html


def test_a_return_and_its_later_move_are_emailed_in_spanish(app, client, db, mail):
    answer = post_return(client, "es")
    assert answer.status_code == 201
    rma = answer.get_json()["rmaNumber"]
    message, plain, _ = only_message(app, db, mail)
    assert message["Subject"] == f"Devolución {rma} del pedido GG-10457"
    assert f"Número de devolución (RMA): {rma}" in plain
    assert "Próximos pasos:" in plain
    mail.messages.clear()
    staff = Staff(client)  # staff work in English; the shopper's email stays Spanish
    assert staff.sign_in().status_code == 303
    staff.post(f"/console/returns/{rma}/status", to="approved")
    message, plain, _ = only_message(app, db, mail)
    assert message["Subject"] == f"Devolución {rma}: aprobada"
    assert f"Envía los artículos con {rma} escrito en el paquete." in plain


def test_a_stylist_ticket_is_acknowledged_in_french(app, client, db, mail):
    answer = client.post(f"{API}/stylist-tickets", headers={"Accept-Language": "fr"}, json={
        "name": "Camille", "email": "camille@example.com", "topic": "occasion",
        "message": "Une robe pour un mariage", "preferredContact": "phone",
        "phone": "+33612345678", "preferredTime": "2031-06-05T15:00:00Z"})
    assert answer.status_code == 201
    message, plain, html = only_message(app, db, mail)
    ticket = answer.get_json()["ticketNumber"]
    assert message["Subject"] == f"Nous avons bien reçu votre demande {ticket}"
    assert "Bonjour," in plain
    assert "Camille" not in plain  # nothing the shopper wrote (finding 4 of issue 29)
    assert "Nous avons bien reçu votre message." in plain
    assert ("Un styliste vous appellera au +33612345678 vers le jeudi 5 juin 2031 à 15:00 UTC."
            in plain)
    assert "Une question ?" in html


def test_an_email_queued_before_languages_existed_goes_out_in_english(app, client, db, mail):
    answer = post_return(client, "fr")
    assert answer.status_code == 201
    db.outbox.update_many({"channel": "email"}, {"$unset": {"email.context.locale": ""}})
    message, _, _ = only_message(app, db, mail)
    assert message["Subject"].startswith("Return RMA-")


def test_the_hold_page_the_email_links_to_speaks_the_holds_language(app, client, db, mail):
    client.post(f"{API}/capsule-holds", headers={"Accept-Language": "fr"}, json={
        "capsuleId": "capsule-weekend-edit", "email": "casey.morgan@example.com"})
    hold_id = db.capsuleHolds.find_one({"email": "casey.morgan@example.com"})["holdId"]
    shown = client.get(f"/holds/{hold_id}", headers={"Accept-Language": "de"}).text
    assert '<html lang="fr">' in shown
    assert '<dd id="hold-status">en cours</dd>' in shown
    assert "Annuler cette réservation" in shown


def test_the_unsubscribe_page_speaks_the_subscriptions_language(app, client, db, mail):
    subscription_id = subscribing.subscribe(client, db, "a@example.com",
                                            headers={"Accept-Language": "es"})
    stopped = client.post(f"/unsubscribe/{subscription_id}").text
    assert "Ya no recibirás emails sobre el pedido GG-11982." in stopped
    assert "Suscripción no encontrada" in client.get(
        "/unsubscribe/" + "x" * 22, headers={"Accept-Language": "es"}).text
