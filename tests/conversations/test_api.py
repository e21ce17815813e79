"""POST /conversations, GET /conversations/<id>, POST /conversations/<id>/messages."""

from __future__ import annotations

import hashlib

import pytest

from concierge.conversations import service

from .conftest import URL, bearer, body


def test_starting_a_conversation_answers_its_token_thread_and_reply_time(client, db):
    response = client.post(URL, json=body())
    assert response.status_code == 201
    answer = response.get_json()
    assert answer["status"] == "open"
    assert answer["replyExpected"]
    assert [(m["from"], m["body"]) for m in answer["messages"]] == [
        ("shopper", "Puis-je changer mon adresse de livraison ?")]
    assert answer["messages"][0]["at"].endswith("Z")
    stored = db.conversations.find_one({"conversationId": answer["conversationId"]})
    assert stored["email"] == "camille.martin@example.com"
    assert stored["locale"] == "fr"
    assert stored["orderKey"] == "GG11982"


def test_the_token_is_stored_only_as_its_hash(client, db, started):
    stored = db.conversations.find_one({"conversationId": started["conversationId"]})
    assert started["token"] not in str(stored)
    assert stored["tokenHashes"] == [hashlib.sha256(started["token"].encode()).hexdigest()]


def test_the_token_reads_the_conversation_by_header_or_query(client, started):
    path = f"{URL}/{started['conversationId']}"
    by_header = client.get(path, headers=bearer(started["token"]))
    by_query = client.get(path, query_string={"token": started["token"]})
    assert by_header.status_code == by_query.status_code == 200
    assert by_header.get_json()["messages"] == started["messages"]
    assert "token" not in by_header.get_json()


@pytest.mark.parametrize("kind", ["wrong token", "no token", "unknown id", "malformed id",
                                  "another conversation's token", "basic scheme"])
def test_unknown_ids_and_wrong_tokens_answer_alike(client, started, kind):
    other = client.post(URL, json=body(email="other@example.com")).get_json()
    path, headers = f"{URL}/{started['conversationId']}", bearer(started["token"])
    if kind == "wrong token":
        headers = bearer(started["token"][:-1] + ("A" if started["token"][-1] != "A" else "B"))
    elif kind == "no token":
        headers = {}
    elif kind == "unknown id":
        path = f"{URL}/AAAAAAAAAAAAAAAAAAAAAA"
    elif kind == "malformed id":
        path = f"{URL}/nope!"
    elif kind == "another conversation's token":
        headers = bearer(other["token"])
    else:
        headers = {"Authorization": f"Basic {started['token']}"}
    for response in (client.get(path, headers=headers),
                     client.post(f"{path}/messages", json={"body": "hi"}, headers=headers)):
        assert response.status_code == 404
        problem = response.get_json()
        assert problem["code"] == "conversation_not_found"
        assert problem["detail"] == "No conversation has this id, or the token does not open it."


def test_tokens_are_compared_in_constant_time(monkeypatch, app, started):
    compared = []
    real = service.hmac.compare_digest
    monkeypatch.setattr(service.hmac, "compare_digest",
                        lambda a, b: compared.append((a, b)) or real(a, b))
    with app.test_request_context():
        service.authorised(started["conversationId"], started["token"])
        with pytest.raises(service.ConversationNotFound):
            service.authorised(started["conversationId"], "x" * 43)
        with pytest.raises(service.ConversationNotFound):
            service.authorised("AAAAAAAAAAAAAAAAAAAAAA", "x" * 43)
    assert len(compared) == 3


def test_the_shopper_continues_her_conversation(client, db, started):
    path = f"{URL}/{started['conversationId']}/messages"
    response = client.post(path, json={"body": "  Au 4 rue des Lilas.  "},
                           headers=bearer(started["token"]))
    assert response.status_code == 201
    answer = response.get_json()
    assert answer["reopened"] is False
    assert [m["body"] for m in answer["messages"]][-1] == "Au 4 rue des Lilas."
    assert answer["status"] == "open"


def test_writing_to_a_closed_conversation_reopens_it_and_says_so(client, db, started):
    db.conversations.update_one({"conversationId": started["conversationId"]},
                                {"$set": {"status": "closed"}})
    response = client.post(f"{URL}/{started['conversationId']}/messages",
                           json={"body": "Encore une question"},
                           headers=bearer(started["token"]))
    assert response.status_code == 201
    assert response.get_json()["reopened"] is True
    assert response.get_json()["status"] == "open"


@pytest.mark.parametrize(("changes", "field"), [
    ({"message": ""}, "message"),
    ({"message": "   "}, "message"),
    ({"message": "x" * 4001}, "message"),
    ({"message": None}, "message"),
    ({"message": {"$ne": None}}, "message"),
    ({"name": ""}, "name"),
    ({"name": "x" * 121}, "name"),
    ({"email": "not-an-email"}, "email"),
    ({"email": None}, "email"),
    ({"topic": "gossip"}, "topic"),
    ({"locale": "it"}, "locale"),
    ({"orderNumber": "x" * 41}, "orderNumber"),
    ({"shortlistId": "no"}, "shortlistId"),
    ({"shortlistId": "AAAAAAAAAAAAAAAAAAAAAA"}, "shortlistId"),
    ({"message": "a\x00b"}, "message"),
    ({"unexpected": 1}, "unexpected"),
])
def test_bad_conversations_are_refused_with_field_errors(client, db, changes, field):
    response = client.post(URL, json=body(**changes))
    assert response.status_code == 422
    assert field in response.get_json()["errors"]
    assert db.conversations.count_documents({}) == 0


def test_a_message_of_exactly_4000_characters_is_accepted(client):
    assert client.post(URL, json=body(message="x" * 4000)).status_code == 201


@pytest.mark.parametrize(("payload", "status"), [
    ({"body": ""}, 422), ({"body": "x" * 4001}, 422), ({}, 422), ({"body": 3}, 422),
    ({"body": "x" * 4000}, 201), ({"body": "ok", "extra": 1}, 422)])
def test_bad_messages_are_refused(client, started, payload, status):
    response = client.post(f"{URL}/{started['conversationId']}/messages", json=payload,
                           headers=bearer(started["token"]))
    assert response.status_code == status


def test_html_is_kept_as_text_never_interpreted(client, started):
    markup = "<script>alert(1)</script><b>bold</b>"
    path = f"{URL}/{started['conversationId']}"
    client.post(f"{path}/messages", json={"body": markup}, headers=bearer(started["token"]))
    assert client.get(path, headers=bearer(started["token"])).get_json()[
        "messages"][-1]["body"] == markup
    page = client.get(f"/conversations/{started['conversationId']}",
                      query_string={"token": started["token"]}).get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page


def test_a_form_post_is_refused_as_unsupported_media_type(client):
    assert client.post(URL, data={"name": "x"}).status_code == 415


def test_events_announce_the_conversation_and_each_message_without_the_token(client, db,
                                                                               started):
    client.post(f"{URL}/{started['conversationId']}/messages", json={"body": "Merci"},
                headers=bearer(started["token"]))
    deliveries = list(db.outbox.find({"type": {"$regex": "^conversation"}}))
    assert sorted(d["type"] for d in deliveries) == ["conversation.created",
                                                     "conversation.message_created"]
    created = next(d for d in deliveries if d["type"] == "conversation.created")
    assert created["data"]["conversationId"] == started["conversationId"]
    assert created["data"]["email"] == "camille.martin@example.com"
    message = next(d for d in deliveries if d["type"] == "conversation.message_created")
    assert message["data"]["from"] == "shopper"
    assert message["data"]["body"] == "Merci"
    assert all(d["channel"] == "webhook" for d in deliveries)  # no email for her own words
    assert started["token"] not in str(deliveries)


def test_reading_clears_the_unread_mark_of_store_replies(app, client, started):
    with app.test_request_context():
        service.reply(started["conversationId"], "Oui, bien sûr.", "Robin")
    path = f"{URL}/{started['conversationId']}"
    seen = client.get(path, headers=bearer(started["token"])).get_json()
    assert seen["unread"] == 1
    assert seen["status"] == "waiting"
    assert [m["unread"] for m in seen["messages"]] == [False, True]
    assert seen["messages"][-1]["by"] == "Robin"
    read = client.post(f"{path}/read", headers=bearer(started["token"]))
    assert read.status_code == 200
    assert read.get_json()["unread"] == 0
    assert client.get(path, headers=bearer(started["token"])).get_json()["unread"] == 0
