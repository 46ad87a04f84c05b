"""Direct messages between people: starting, continuing and reading conversations."""

from __future__ import annotations

import json

import pytest

API = "/api/v1"


def assert_error(response, code: int) -> None:
    assert response.status_code == code, response.json
    assert response.json["code"] == code
    assert response.json["status"]
    assert response.json["message"]


def never_shows_email(body) -> bool:
    if isinstance(body, dict):
        return "email" not in body and all(never_shows_email(v) for v in body.values())
    if isinstance(body, list):
        return all(never_shows_email(v) for v in body)
    return True


def start(sender, *recipients, text: str = "Hello"):
    response = sender.post(
        f"{API}/conversations",
        json={"participant_ids": [r.user_id for r in recipients], "text": text},
    )
    assert response.status_code == 201, response.json
    return response.json


def texts(person, conversation_id: int) -> list[str]:
    response = person.get(f"{API}/conversations/{conversation_id}/messages")
    assert response.status_code == 200, response.json
    return [message["body"] for message in response.json]


def conversation_ids(person) -> list[int]:
    response = person.get(f"{API}/conversations")
    assert response.status_code == 200, response.json
    return [conversation["id"] for conversation in response.json]


def listed(person, conversation_id: int) -> dict:
    [found] = [c for c in person.get(f"{API}/conversations").json if c["id"] == conversation_id]
    return found


class TestStartingAConversation:
    def test_you_message_a_colleague_and_both_of_you_see_it(self, factory):
        amira = factory.person(name="Amira Khan")
        ben = factory.person(name="Ben Osei")

        response = amira.post(
            f"{API}/conversations",
            json={"participant_ids": [ben.user_id], "text": "Can we talk about the audit?"},
        )

        assert response.status_code == 201
        conversation = response.json
        assert isinstance(conversation["id"], int)
        assert sorted(conversation["participants"], key=lambda p: p["id"]) == [
            {"id": amira.user_id, "name": "Amira Khan"},
            {"id": ben.user_id, "name": "Ben Osei"},
        ]
        assert conversation["created_at"].endswith("Z")
        assert conversation["last_message_at"].endswith("Z")
        assert texts(amira, conversation["id"]) == ["Can we talk about the audit?"]
        assert texts(ben, conversation["id"]) == ["Can we talk about the audit?"]
        assert conversation_ids(ben) == [conversation["id"]]

    def test_naming_yourself_too_makes_no_difference(self, factory):
        amira, ben = factory.person(), factory.person()

        conversation = amira.post(
            f"{API}/conversations",
            json={"participant_ids": [ben.user_id, amira.user_id, ben.user_id], "text": "Hi"},
        )

        assert conversation.status_code == 201
        ids = sorted(p["id"] for p in conversation.json["participants"])
        assert ids == sorted([amira.user_id, ben.user_id])

    def test_writing_to_the_same_people_again_continues_the_conversation(self, factory):
        amira, ben = factory.person(), factory.person()
        first = start(amira, ben, text="First")

        again = start(amira, ben, text="Second")
        reply = start(ben, amira, text="Third, from Ben")

        assert again["id"] == reply["id"] == first["id"]
        assert conversation_ids(amira) == [first["id"]]
        assert texts(ben, first["id"]) == ["First", "Second", "Third, from Ben"]

    def test_a_different_set_of_people_is_a_different_conversation(self, factory):
        amira, ben, carla = factory.person(), factory.person(), factory.person()
        pair = start(amira, ben)

        group = start(amira, ben, carla, text="All three of us")

        assert group["id"] != pair["id"]
        assert len(group["participants"]) == 3
        assert set(conversation_ids(amira)) == {pair["id"], group["id"]}
        assert conversation_ids(carla) == [group["id"]]
        assert texts(carla, group["id"]) == ["All three of us"]
        assert texts(ben, pair["id"]) == ["Hello"]

    def test_the_people_you_write_to_are_notified(self, factory):
        amira = factory.person(name="Amira Khan")
        ben = factory.person()

        conversation = start(amira, ben)

        [note] = ben.get(f"{API}/notifications").json
        assert note["kind"] == "message"
        assert note["data"]["conversation_id"] == conversation["id"]
        assert note["data"]["user"] == {"id": amira.user_id, "name": "Amira Khan"}
        assert amira.get(f"{API}/notifications").json == []

    def test_participants_never_show_email_addresses(self, factory):
        amira = factory.person(email="amira@leeds.gov.uk")
        ben = factory.person(email="ben@york.gov.uk")
        conversation = start(amira, ben)

        for response in (
            ben.get(f"{API}/conversations"),
            ben.get(f"{API}/conversations/{conversation['id']}/messages"),
        ):
            assert never_shows_email(response.json)
            assert "@" not in response.get_data(as_text=True)

    @pytest.mark.parametrize(
        "body",
        [
            {"participant_ids": [], "text": "Hello"},
            {"text": "Hello"},
            {"participant_ids": "2", "text": "Hello"},
            {"participant_ids": ["two"], "text": "Hello"},
            {"participant_ids": [0], "text": "Hello"},
            {"participant_ids": [2**31], "text": "Hello"},
            {"participant_ids": [2**64], "text": "Hello"},
        ],
    )
    def test_you_must_say_who_to_write_to(self, factory, body):
        amira = factory.person()
        response = amira.post(f"{API}/conversations", json=body)
        assert_error(response, 422)
        assert "participant_ids" in response.json["errors"]["json"]

    def test_you_cannot_start_a_conversation_with_only_yourself(self, factory):
        amira = factory.person()

        response = amira.post(
            f"{API}/conversations", json={"participant_ids": [amira.user_id], "text": "Note"}
        )

        assert_error(response, 422)
        assert "participant_ids" in response.json["errors"]["json"]
        assert conversation_ids(amira) == []

    def test_you_cannot_write_to_people_who_do_not_exist(self, factory):
        amira, ben = factory.person(), factory.person()

        response = amira.post(
            f"{API}/conversations", json={"participant_ids": [ben.user_id, 999999], "text": "Hi"}
        )

        assert_error(response, 422)
        assert "participant_ids" in response.json["errors"]["json"]
        assert "999999" in response.json["message"]
        assert conversation_ids(amira) == conversation_ids(ben) == []

    def test_you_cannot_write_to_a_deactivated_account(self, factory):
        from hub.db import utcnow

        gone = factory.user(deactivated_at=utcnow())
        amira = factory.person()

        response = amira.post(
            f"{API}/conversations", json={"participant_ids": [gone.id], "text": "Hi"}
        )

        assert_error(response, 422)

    @pytest.mark.parametrize("text", ["", None, "x" * 10_001])
    def test_a_message_needs_some_text_and_not_too_much(self, factory, text):
        amira, ben = factory.person(), factory.person()

        response = amira.post(
            f"{API}/conversations", json={"participant_ids": [ben.user_id], "text": text}
        )

        assert_error(response, 422)
        assert "text" in response.json["errors"]["json"]
        assert conversation_ids(ben) == []

    def test_without_signing_in_you_cannot_message_anyone(self, factory, client):
        ben = factory.person()
        response = client.post(
            f"{API}/conversations", json={"participant_ids": [ben.user_id], "text": "Hi"}
        )
        assert_error(response, 401)


class TestReadingAndReplying:
    def test_messages_read_oldest_first_with_their_authors(self, factory):
        amira = factory.person(name="Amira Khan")
        ben = factory.person(name="Ben Osei")
        conversation = start(amira, ben, text="One")

        reply = ben.post(f"{API}/conversations/{conversation['id']}/messages", json={"text": "Two"})
        amira.post(f"{API}/conversations/{conversation['id']}/messages", json={"text": "Three"})

        assert reply.status_code == 201
        assert reply.json["body"] == "Two"
        assert reply.json["conversation_id"] == conversation["id"]
        assert reply.json["author"] == {"id": ben.user_id, "name": "Ben Osei"}
        assert reply.json["created_at"].endswith("Z")
        messages = amira.get(f"{API}/conversations/{conversation['id']}/messages").json
        assert [m["body"] for m in messages] == ["One", "Two", "Three"]
        assert [m["author"]["name"] for m in messages] == ["Amira Khan", "Ben Osei", "Amira Khan"]

    def test_messages_come_in_pages(self, factory):
        amira, ben = factory.person(), factory.person()
        conversation = start(amira, ben, text="1")
        for n in range(2, 6):
            amira.post(f"{API}/conversations/{conversation['id']}/messages", json={"text": str(n)})

        page = ben.get(f"{API}/conversations/{conversation['id']}/messages?page=2&page_size=2")

        assert [m["body"] for m in page.json] == ["3", "4"]
        meta = json.loads(page.headers["X-Pagination"])
        assert (meta["total"], meta["total_pages"], meta["page"], meta["page_size"]) == (5, 3, 2, 2)
        too_big = ben.get(f"{API}/conversations/{conversation['id']}/messages?page_size=101")
        assert_error(too_big, 422)

    def test_markdown_is_rendered_and_scripts_are_made_harmless(self, factory):
        amira, ben = factory.person(), factory.person()
        text = "Please read **this** first.\n\n<script>alert('stolen')</script>"
        conversation = start(amira, ben, text=text)

        [message] = ben.get(f"{API}/conversations/{conversation['id']}/messages").json

        assert message["body"] == text
        assert "<strong>this</strong>" in message["body_html"]
        assert "<script" not in message["body_html"]
        assert "&lt;script&gt;" in message["body_html"]

    def test_dangerous_links_are_not_kept(self, factory):
        amira, ben = factory.person(), factory.person()
        conversation = start(amira, ben, text="[click](javascript:alert(1)) <a href=x>raw</a>")

        [message] = ben.get(f"{API}/conversations/{conversation['id']}/messages").json

        assert 'href="javascript' not in message["body_html"]
        assert "<a href=x>" not in message["body_html"]

    def test_a_reply_needs_text(self, factory):
        amira, ben = factory.person(), factory.person()
        conversation = start(amira, ben)

        for body in ({"text": ""}, {}, {"text": "x" * 10_001}):
            response = ben.post(f"{API}/conversations/{conversation['id']}/messages", json=body)
            assert_error(response, 422)
            assert "text" in response.json["errors"]["json"]
        assert texts(amira, conversation["id"]) == ["Hello"]

    def test_the_most_recently_active_conversation_comes_first(self, factory):
        amira, ben, carla = factory.person(), factory.person(), factory.person()
        with_ben = start(amira, ben)
        with_carla = start(amira, carla)
        assert conversation_ids(amira) == [with_carla["id"], with_ben["id"]]

        ben.post(f"{API}/conversations/{with_ben['id']}/messages", json={"text": "Back to you"})

        assert conversation_ids(amira) == [with_ben["id"], with_carla["id"]]

    def test_your_conversations_come_in_pages(self, factory):
        amira = factory.person()
        for _ in range(3):
            start(amira, factory.person())

        response = amira.get(f"{API}/conversations?page_size=2")

        assert len(response.json) == 2
        meta = json.loads(response.headers["X-Pagination"])
        assert (meta["total"], meta["total_pages"]) == (3, 2)


class TestUnread:
    def test_a_new_message_is_unread_until_you_read_it(self, factory):
        amira, ben = factory.person(), factory.person()
        conversation = start(amira, ben)

        assert listed(ben, conversation["id"])["unread"] is True
        assert listed(amira, conversation["id"])["unread"] is False
        assert conversation["unread"] is False

        texts(ben, conversation["id"])

        assert listed(ben, conversation["id"])["unread"] is False

    def test_a_reply_makes_it_unread_again_for_the_others(self, factory):
        amira, ben = factory.person(), factory.person()
        conversation = start(amira, ben)
        texts(ben, conversation["id"])

        ben.post(f"{API}/conversations/{conversation['id']}/messages", json={"text": "Thanks"})

        assert listed(amira, conversation["id"])["unread"] is True
        assert listed(ben, conversation["id"])["unread"] is False

    def test_reading_a_conversation_reads_the_notifications_of_its_messages(self, factory):
        amira, ben, cara = factory.person(), factory.person(), factory.person()
        conversation = start(amira, ben)
        other = start(amira, ben, cara)  # another conversation: its notification stays unread
        ben.post(f"{API}/people/{amira.user_id}/connect")  # not a message: stays unread
        assert amira.get(f"{API}/notifications/unread-count").json == {"unread": 1}
        assert ben.get(f"{API}/notifications/unread-count").json == {"unread": 2}

        texts(ben, conversation["id"])

        unread = ben.get(f"{API}/notifications?unread=true").json
        assert [(n["kind"], n["data"]["conversation_id"]) for n in unread] == [
            ("message", other["id"])
        ]
        assert amira.get(f"{API}/notifications/unread-count").json == {"unread": 1}

    def test_writing_to_a_conversation_counts_as_reading_it(self, factory):
        amira, ben = factory.person(), factory.person()
        conversation = start(amira, ben)

        ben.post(f"{API}/conversations/{conversation['id']}/messages", json={"text": "Got it"})

        assert listed(ben, conversation["id"])["unread"] is False


class TestPrivacy:
    def test_outsiders_cannot_read_a_conversation(self, factory):
        amira, ben, outsider = factory.person(), factory.person(), factory.person()
        conversation = start(amira, ben, text="Confidential")

        response = outsider.get(f"{API}/conversations/{conversation['id']}/messages")

        assert_error(response, 404)
        assert "Confidential" not in response.get_data(as_text=True)
        assert conversation_ids(outsider) == []

    def test_outsiders_cannot_write_into_a_conversation(self, factory):
        amira, ben, outsider = factory.person(), factory.person(), factory.person()
        conversation = start(amira, ben)

        response = outsider.post(
            f"{API}/conversations/{conversation['id']}/messages", json={"text": "Let me in"}
        )

        assert_error(response, 404)
        assert texts(amira, conversation["id"]) == ["Hello"]

    def test_a_hidden_conversation_looks_like_a_missing_one(self, factory):
        amira, ben, outsider = factory.person(), factory.person(), factory.person()
        conversation = start(amira, ben)

        hidden = outsider.get(f"{API}/conversations/{conversation['id']}/messages")
        missing = outsider.get(f"{API}/conversations/999999/messages")

        assert hidden.status_code == missing.status_code == 404
        assert hidden.json == missing.json
        assert_error(outsider.post(f"{API}/conversations/999999/messages", json={"text": "x"}), 404)

    def test_without_signing_in_nothing_is_readable(self, factory, client):
        amira, ben = factory.person(), factory.person()
        conversation = start(amira, ben)

        assert_error(client.get(f"{API}/conversations"), 401)
        assert_error(client.get(f"{API}/conversations/{conversation['id']}/messages"), 401)


class TestBlocks:
    def test_a_blocked_person_cannot_start_a_conversation_with_the_blocker(self, factory):
        amira, ben = factory.person(), factory.person()
        amira.post(f"{API}/people/{ben.user_id}/block")

        response = ben.post(
            f"{API}/conversations", json={"participant_ids": [amira.user_id], "text": "Hi"}
        )

        assert_error(response, 403)
        assert conversation_ids(amira) == []
        assert amira.get(f"{API}/notifications").json == []

    def test_a_blocked_person_cannot_reply_in_an_existing_conversation(self, factory):
        amira, ben = factory.person(), factory.person()
        conversation = start(ben, amira, text="Before the block")
        amira.post(f"{API}/people/{ben.user_id}/block")

        reply = ben.post(f"{API}/conversations/{conversation['id']}/messages", json={"text": "Hi"})
        restart = ben.post(
            f"{API}/conversations", json={"participant_ids": [amira.user_id], "text": "Hi again"}
        )

        assert_error(reply, 403)
        assert_error(restart, 403)
        assert texts(amira, conversation["id"]) == ["Before the block"]

    def test_a_blocked_person_can_still_read_what_was_said(self, factory):
        amira, ben = factory.person(), factory.person()
        conversation = start(amira, ben, text="Earlier")
        amira.post(f"{API}/people/{ben.user_id}/block")

        assert texts(ben, conversation["id"]) == ["Earlier"]

    def test_a_group_message_is_refused_when_anyone_in_it_blocked_you(self, factory):
        amira, ben, carla = factory.person(), factory.person(), factory.person()
        carla.post(f"{API}/people/{amira.user_id}/block")

        response = amira.post(
            f"{API}/conversations",
            json={"participant_ids": [ben.user_id, carla.user_id], "text": "Hello both"},
        )

        assert_error(response, 403)
        assert conversation_ids(ben) == []

    def test_after_unblocking_messages_flow_again(self, factory):
        amira, ben = factory.person(), factory.person()
        amira.post(f"{API}/people/{ben.user_id}/block")
        amira.delete(f"{API}/people/{ben.user_id}/block")

        conversation = start(ben, amira, text="Sorry about earlier")

        assert texts(amira, conversation["id"]) == ["Sorry about earlier"]


class TestUnverifiedAccounts:
    @pytest.fixture
    def app_settings(self):
        return {"HUB_EMAIL_VERIFICATION": "required"}

    def test_an_unverified_account_cannot_start_a_conversation(self, factory):
        newcomer = factory.client_for(factory.user(email_verified_at=None))
        colleague = factory.person()

        assert newcomer.get(f"{API}/me").status_code == 200
        response = newcomer.post(
            f"{API}/conversations", json={"participant_ids": [colleague.user_id], "text": "Hi"}
        )

        assert_error(response, 403)
        assert "confirm" in response.json["message"].lower()
        assert conversation_ids(colleague) == []
        assert colleague.get(f"{API}/notifications").json == []

    def test_an_unverified_account_can_read_but_not_answer_a_message(self, factory):
        newcomer = factory.client_for(factory.user(email_verified_at=None))
        colleague = factory.person()
        conversation = start(colleague, newcomer, text="Welcome to the hub")

        assert texts(newcomer, conversation["id"]) == ["Welcome to the hub"]
        reply = newcomer.post(
            f"{API}/conversations/{conversation['id']}/messages", json={"text": "Thanks"}
        )
        again = newcomer.post(
            f"{API}/conversations",
            json={"participant_ids": [colleague.user_id], "text": "Thanks"},
        )

        assert_error(reply, 403)
        assert_error(again, 403)
        assert texts(colleague, conversation["id"]) == ["Welcome to the hub"]

    def test_an_account_awaiting_approval_cannot_message(self, factory):
        waiting = factory.client_for(factory.user(email="me@example.com", approved_at=None))
        colleague = factory.person()

        response = waiting.post(
            f"{API}/conversations", json={"participant_ids": [colleague.user_id], "text": "Hi"}
        )

        assert_error(response, 403)
