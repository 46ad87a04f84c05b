"""Notifications: what reaches you, what is unread, and marking it read."""

from __future__ import annotations

import json

import pytest

API = "/api/v1"


def assert_error(response, code: int) -> None:
    assert response.status_code == code, response.json
    assert response.json["code"] == code
    assert response.json["status"]
    assert response.json["message"]


def unread_count(person) -> int:
    response = person.get(f"{API}/notifications/unread-count")
    assert response.status_code == 200, response.json
    return response.json["unread"]


def notes(person, query: str = "") -> list[dict]:
    response = person.get(f"{API}/notifications{query}")
    assert response.status_code == 200, response.json
    return response.json


def message(sender, recipient, text: str) -> None:
    response = sender.post(
        f"{API}/conversations", json={"participant_ids": [recipient.user_id], "text": text}
    )
    assert response.status_code == 201, response.json


@pytest.fixture
def ben_hears_three_things(factory):
    """Ben gets a connection request from Amira, then two messages from Carla."""
    amira = factory.person(name="Amira Khan")
    ben = factory.person(name="Ben Osei")
    carla = factory.person(name="Carla Jones")
    assert amira.post(f"{API}/people/{ben.user_id}/connect").status_code == 202
    message(carla, ben, "First")
    message(carla, ben, "Second")
    return amira, ben, carla


class TestListing:
    def test_newest_first_with_what_happened_and_who(self, ben_hears_three_things):
        amira, ben, carla = ben_hears_three_things

        listed = notes(ben)

        assert [n["kind"] for n in listed] == ["message", "message", "connection_request"]
        assert listed[0]["id"] > listed[1]["id"] > listed[2]["id"]
        assert listed[0]["data"]["user"] == {"id": carla.user_id, "name": "Carla Jones"}
        assert listed[2]["data"]["user"] == {"id": amira.user_id, "name": "Amira Khan"}
        assert all(n["read"] is False for n in listed)
        assert all(n["created_at"].endswith("Z") for n in listed)

    def test_you_see_only_your_own(self, ben_hears_three_things):
        amira, ben, carla = ben_hears_three_things
        assert notes(amira) == []
        assert notes(carla) == []
        assert unread_count(amira) == 0

    def test_notifications_come_in_pages(self, ben_hears_three_things):
        _, ben, _ = ben_hears_three_things

        first = ben.get(f"{API}/notifications?page_size=2")
        second = ben.get(f"{API}/notifications?page_size=2&page=2")

        assert [n["kind"] for n in first.json + second.json] == [
            "message",
            "message",
            "connection_request",
        ]
        meta = json.loads(first.headers["X-Pagination"])
        assert (meta["total"], meta["total_pages"], meta["page"], meta["page_size"]) == (
            3,
            2,
            1,
            2,
        )

    def test_a_page_larger_than_100_is_refused(self, ben_hears_three_things):
        _, ben, _ = ben_hears_three_things
        response = ben.get(f"{API}/notifications?page_size=101")
        assert_error(response, 422)
        assert "page_size" in response.json["errors"]["query"]

    def test_unread_only(self, ben_hears_three_things):
        _, ben, _ = ben_hears_three_things
        newest = notes(ben)[0]
        ben.post(f"{API}/notifications/read", json={"ids": [newest["id"]]})

        unread = notes(ben, "?unread=true")

        assert [n["kind"] for n in unread] == ["message", "connection_request"]
        assert newest["id"] not in [n["id"] for n in unread]
        assert len(notes(ben, "?unread=false")) == 3
        assert len(notes(ben)) == 3

    def test_a_nonsense_unread_filter_is_refused(self, factory):
        ben = factory.person()
        response = ben.get(f"{API}/notifications?unread=perhaps")
        assert_error(response, 422)
        assert "unread" in response.json["errors"]["query"]

    def test_without_signing_in_there_is_nothing(self, client):
        assert_error(client.get(f"{API}/notifications"), 401)
        assert_error(client.get(f"{API}/notifications/unread-count"), 401)
        assert_error(client.post(f"{API}/notifications/read", json={"all": True}), 401)


class TestMarkingRead:
    def test_the_unread_count_tracks_new_notifications(self, factory):
        amira, ben = factory.person(), factory.person()
        assert unread_count(ben) == 0

        amira.post(f"{API}/people/{ben.user_id}/connect")
        assert unread_count(ben) == 1

        message(amira, ben, "Hello")
        assert unread_count(ben) == 2

    def test_marking_some_read(self, ben_hears_three_things):
        _, ben, _ = ben_hears_three_things
        newest, middle, oldest = notes(ben)

        response = ben.post(f"{API}/notifications/read", json={"ids": [newest["id"], oldest["id"]]})

        assert response.status_code == 200
        assert response.json == {"unread": 1}
        assert unread_count(ben) == 1
        read = {n["id"]: n["read"] for n in notes(ben)}
        assert read == {newest["id"]: True, middle["id"]: False, oldest["id"]: True}

    def test_marking_all_read(self, ben_hears_three_things):
        _, ben, _ = ben_hears_three_things

        response = ben.post(f"{API}/notifications/read", json={"all": True})

        assert response.status_code == 200
        assert response.json == {"unread": 0}
        assert unread_count(ben) == 0
        assert notes(ben, "?unread=true") == []
        assert all(n["read"] for n in notes(ben))

    def test_new_notifications_after_marking_all_are_unread(self, ben_hears_three_things):
        _, ben, carla = ben_hears_three_things
        ben.post(f"{API}/notifications/read", json={"all": True})

        message(carla, ben, "One more thing")

        assert unread_count(ben) == 1
        [fresh] = notes(ben, "?unread=true")
        assert fresh["kind"] == "message"

    def test_marking_again_is_harmless(self, ben_hears_three_things):
        _, ben, _ = ben_hears_three_things
        newest = notes(ben)[0]
        ben.post(f"{API}/notifications/read", json={"ids": [newest["id"]]})

        again = ben.post(f"{API}/notifications/read", json={"ids": [newest["id"]]})

        assert again.status_code == 200
        assert again.json == {"unread": 2}
        assert ben.post(f"{API}/notifications/read", json={"ids": []}).json == {"unread": 2}

    def test_someone_elses_notifications_are_not_marked(self, ben_hears_three_things):
        amira, ben, _ = ben_hears_three_things
        bens_ids = [n["id"] for n in notes(ben)]

        response = amira.post(f"{API}/notifications/read", json={"ids": bens_ids})
        everything = amira.post(f"{API}/notifications/read", json={"all": True})

        assert response.status_code == everything.status_code == 200
        assert response.json == {"unread": 0}
        assert unread_count(ben) == 3
        assert all(n["read"] is False for n in notes(ben))

    @pytest.mark.parametrize("body", [{}, {"all": False}, {"ids": None}])
    def test_you_must_say_which_to_mark(self, ben_hears_three_things, body):
        _, ben, _ = ben_hears_three_things

        response = ben.post(f"{API}/notifications/read", json=body)

        assert_error(response, 422)
        assert response.json["errors"]
        assert unread_count(ben) == 3

    @pytest.mark.parametrize(
        "body",
        [
            {"ids": "all"},
            {"ids": ["first"]},
            {"ids": [2**64]},
            {"all": "yes please"},
            {"ids": list(range(1, 502))},
        ],
    )
    def test_malformed_requests_are_refused(self, ben_hears_three_things, body):
        _, ben, _ = ben_hears_three_things

        response = ben.post(f"{API}/notifications/read", json=body)

        assert_error(response, 422)
        assert response.json["errors"]["json"]
        assert unread_count(ben) == 3
