"""What no database can hold answers 422 with a message, on SQLite and PostgreSQL alike:
numbers beyond 2^31-1 (PostgreSQL's integer; beyond 2^63 SQLite fails too), NUL
characters in text; and JSON's numbers and booleans are taken as such, not as strings."""

from __future__ import annotations

import io

from tests.groups.helpers import make_group
from tests.live.helpers import API

TOO_BIG = 3065692920448  # beyond 2^31-1
FAR_TOO_BIG = 2**64


def assert_refused(response, field: str) -> None:
    assert response.status_code == 422, response.json
    location = response.json["errors"]
    assert any(field in errors for errors in location.values()), location


def test_ids_beyond_the_databases_integers_are_refused_in_query_and_body(factory):
    owner = factory.person()
    group_id = make_group(owner, "open")
    thread = owner.post(f"{API}/groups/{group_id}/threads", json={"title": "T", "body": "B"})
    for number in (TOO_BIG, FAR_TOO_BIG):
        assert_refused(
            owner.get(f"{API}/groups/{group_id}/library/files?folder_id={number}"), "folder_id"
        )
        assert_refused(
            owner.post(
                f"{API}/threads/{thread.json['id']}/posts", json={"body": "Hi", "reply_to": number}
            ),
            "reply_to",
        )
        assert_refused(
            owner.post(f"{API}/groups/{group_id}/invitations", json={"user_id": number}),
            "user_id",
        )
        assert_refused(
            owner.post(
                f"{API}/groups/{group_id}/library/folders", json={"name": "F", "parent_id": number}
            ),
            "parent_id",
        )
        assert_refused(
            owner.post(
                f"{API}/groups/{group_id}/live-sessions",
                json={"title": "Q", "starts_at": "2030-01-01T10:00:00Z", "panelist_ids": [number]},
            ),
            "panelist_ids",
        )
        upload = owner.post(
            f"{API}/groups/{group_id}/library/files",
            data={"file": (io.BytesIO(b"Some text."), "a.txt"), "folder_id": str(number)},
            content_type="multipart/form-data",
        )
        assert_refused(upload, "folder_id")
        assert_refused(owner.get(f"{API}/people?page={number}"), "page")
    # Nothing was half-written.
    assert owner.get(f"{API}/groups/{group_id}/library/files").json == []
    assert owner.get(f"{API}/groups/{group_id}/live-sessions").json == []


def test_a_nul_character_in_text_is_refused(factory):
    owner = factory.person()
    group_id = make_group(owner, "open")
    made = owner.post(f"{API}/groups/{group_id}/threads", json={"title": "a\x00b", "body": "B"})
    assert made.status_code == 422
    assert "NUL" in made.json["errors"]["json"]["title"][0]
    assert_refused(owner.get(f"{API}/people?q=x%00y"), "q")
    assert_refused(owner.patch(f"{API}/me", json={"expertise": ["damp\x00"]}), "expertise")
    assert owner.get(f"{API}/groups/{group_id}/threads").json == []


def test_json_numbers_and_booleans_are_not_taken_from_strings(factory):
    owner = factory.person()
    other = factory.person()
    assert_refused(
        owner.post(
            f"{API}/conversations", json={"participant_ids": [str(other.user_id)], "text": "Hi"}
        ),
        "participant_ids",
    )
    for value in (1, "true", "yes"):
        assert_refused(owner.post(f"{API}/notifications/read", json={"all": value}), "all")
    assert owner.post(f"{API}/notifications/read", json={"all": True}).status_code == 200
    # A query string is text: its booleans and numbers are words and digits.
    assert owner.get(f"{API}/notifications?unread=true").status_code == 200
    assert owner.get(f"{API}/people?page=1&page_size=5").status_code == 200
