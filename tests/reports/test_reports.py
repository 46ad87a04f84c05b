"""Reports: anyone reports what they may read; the group's moderators and the site admins
see, resolve and dismiss them, and are told; nobody else hears of them."""

from __future__ import annotations

import pytest

from tests.groups.helpers import (
    API,
    add_member,
    make_group,
    notifications,
    reply,
    start_thread,
)
from tests.library.helpers import uploaded

REASON = "This names a member of the public and their address."


@pytest.fixture
def cast(factory):
    class Cast:
        owner = factory.person(name="Olivia Owner")
        moderator = factory.person(name="Mo Moderator")
        member = factory.person(name="Mel Member")
        other = factory.person(name="Max Member")
        outsider = factory.person(name="Oscar Outsider")
        admin = factory.client_for(factory.user(name="Ada Admin", is_admin=True))

    return Cast


def private_group_with_a_post(cast) -> tuple[int, dict, dict]:
    group_id = make_group(cast.owner, "private")
    add_member(cast.owner, group_id, cast.moderator, "moderator")
    add_member(cast.owner, group_id, cast.member)
    add_member(cast.owner, group_id, cast.other)
    thread = start_thread(cast.other, group_id)
    post = reply(cast.other, thread["id"], "Here is someone's home address.")
    return group_id, thread, post


def report(person, target_type: str, target_id: int, reason: str = REASON):
    return person.post(
        f"{API}/reports",
        json={"target_type": target_type, "target_id": target_id, "reason": reason},
    )


def report_kinds(person) -> list[dict]:
    return [n for n in notifications(person) if n["kind"] == "report"]


def test_a_member_reports_a_post_and_the_moderators_see_and_resolve_it(cast):
    group_id, _thread, post = private_group_with_a_post(cast)

    made = report(cast.member, "post", post["id"])

    assert made.status_code == 201, made.json
    body = made.json
    assert body["target_type"] == "post" and body["target_id"] == post["id"]
    assert body["group_id"] == group_id and body["status"] == "open"
    assert body["reporter"] == {"id": cast.member.user_id, "name": "Mel Member"}
    assert body["resolved_at"] is None and body["resolved_by"] is None
    listed = cast.moderator.get(f"{API}/groups/{group_id}/reports?status=open")
    assert listed.status_code == 200
    assert [r["id"] for r in listed.json] == [body["id"]]
    assert listed.json[0]["reason"] == REASON

    closed = cast.moderator.patch(
        f"{API}/reports/{body['id']}", json={"status": "resolved", "note": "Post removed."}
    )

    assert closed.status_code == 200, closed.json
    assert closed.json["status"] == "resolved" and closed.json["note"] == "Post removed."
    assert closed.json["resolved_by"] == {"id": cast.moderator.user_id, "name": "Mo Moderator"}
    assert closed.json["resolved_at"] is not None
    assert cast.owner.get(f"{API}/groups/{group_id}/reports?status=open").json == []
    resolved = cast.owner.get(f"{API}/groups/{group_id}/reports?status=resolved").json
    assert [r["id"] for r in resolved] == [body["id"]]
    again = cast.owner.patch(f"{API}/reports/{body['id']}", json={"status": "dismissed"})
    assert again.status_code == 409 and "already resolved" in again.json["message"]


def test_the_moderators_and_site_admins_are_told_and_nobody_else(cast):
    _group_id, _thread, post = private_group_with_a_post(cast)

    assert report(cast.member, "post", post["id"]).status_code == 201

    for person in (cast.owner, cast.moderator, cast.admin):
        told = report_kinds(person)
        assert len(told) == 1, person.user_id
        assert told[0]["data"]["target_type"] == "post"
        assert REASON not in str(told[0]) and "Mel Member" not in str(told[0])
    for person in (cast.member, cast.other, cast.outsider):
        assert report_kinds(person) == []


def test_what_you_may_not_read_cannot_be_reported_as_if_it_did_not_exist(cast):
    group_id, thread, post = private_group_with_a_post(cast)
    file = uploaded(cast.other, group_id)

    for target_type, target_id in (
        ("post", post["id"]),
        ("thread", thread["id"]),
        ("file", file["id"]),
        ("post", 999_999),
        ("person", 999_999),
        ("message", 999_999),
        ("question", 999_999),
        ("suggestion", 999_999),
    ):
        response = report(cast.outsider, target_type, target_id)
        assert response.status_code == 404, (target_type, response.json)
        assert response.json["message"]
    assert report_kinds(cast.owner) == []
    assert cast.admin.get(f"{API}/admin/reports").json == []


def test_a_reporter_may_not_report_the_same_open_thing_twice(cast):
    _group_id, _thread, post = private_group_with_a_post(cast)
    first = report(cast.member, "post", post["id"])
    assert first.status_code == 201

    second = report(cast.member, "post", post["id"], "Again.")

    assert second.status_code == 409 and "still open" in second.json["message"]
    # Someone else may; and once closed, the first reporter may again.
    assert report(cast.moderator, "post", post["id"]).status_code == 201
    assert (
        cast.owner.patch(f"{API}/reports/{first.json['id']}", json={"status": "dismissed"})
    ).status_code == 200
    assert report(cast.member, "post", post["id"]).status_code == 201


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"target_type": "post", "target_id": 1, "reason": ""}, "reason"),
        ({"target_type": "post", "target_id": 1, "reason": "x" * 2001}, "reason"),
        ({"target_type": "post", "target_id": 1}, "reason"),
        ({"target_type": "group", "target_id": 1, "reason": "spam"}, "target_type"),
        ({"target_type": "post", "target_id": "one", "reason": "spam"}, "target_id"),
    ],
)
def test_a_report_needs_a_reason_and_a_known_kind_of_target(factory, body, field):
    person = factory.person()
    response = person.post(f"{API}/reports", json=body)
    assert response.status_code == 422
    assert field in response.json["errors"]["json"]


def test_people_and_messages_are_reported_to_site_admins_only(cast):
    group_id, _thread, _post = private_group_with_a_post(cast)
    started = cast.member.post(
        f"{API}/conversations",
        json={"participant_ids": [cast.other.user_id], "text": "Unwelcome message"},
    )
    assert started.status_code == 201, started.json
    message_id = cast.other.get(f"{API}/conversations/{started.json['id']}/messages").json[0]["id"]

    about_message = report(cast.other, "message", message_id)
    about_person = report(cast.other, "person", cast.member.user_id)

    assert about_message.status_code == 201 and about_message.json["group_id"] is None
    assert about_person.status_code == 201
    # Someone outside the conversation cannot report its message.
    assert report(cast.outsider, "message", message_id).status_code == 404
    everything = cast.admin.get(f"{API}/admin/reports")
    assert {r["target_type"] for r in everything.json} == {"message", "person"}
    assert cast.owner.get(f"{API}/groups/{group_id}/reports").json == []
    assert report_kinds(cast.owner) == [] and len(report_kinds(cast.admin)) == 2
    assert cast.owner.get(f"{API}/admin/reports").status_code == 403
    # Only a site admin may close them: to anyone else they do not exist.
    closing = {"status": "dismissed"}
    refused = cast.owner.patch(f"{API}/reports/{about_person.json['id']}", json=closing)
    assert refused.status_code == 404
    done = cast.admin.patch(f"{API}/reports/{about_person.json['id']}", json=closing)
    assert done.status_code == 200


def test_a_report_of_a_group_is_closed_only_by_its_moderators_and_site_admins(cast):
    group_id, _thread, post = private_group_with_a_post(cast)
    made = report(cast.member, "post", post["id"]).json
    url = f"{API}/reports/{made['id']}"

    for person in (cast.member, cast.other, cast.outsider):
        response = person.patch(url, json={"status": "resolved"})
        assert response.status_code == 404, person.user_id
    assert cast.member.get(f"{API}/groups/{group_id}/reports").status_code == 403
    assert cast.admin.patch(url, json={"status": "dismissed"}).status_code == 200
    bad = cast.admin.patch(url, json={"status": "open"})
    assert bad.status_code == 422


@pytest.mark.parametrize("target_type", ["file", "suggestion", "thread"])
def test_files_suggestions_and_threads_are_reported_into_their_groups_list(cast, target_type):
    group_id, thread, _post = private_group_with_a_post(cast)
    if target_type == "file":
        target_id = uploaded(cast.other, group_id)["id"]
    elif target_type == "suggestion":
        body = {"title": "Share templates", "body": "Please."}
        made = cast.other.post(f"{API}/groups/{group_id}/suggestions", json=body)
        target_id = made.json["id"]
    else:
        target_id = thread["id"]

    made = report(cast.member, target_type, target_id)

    assert made.status_code == 201, made.json
    assert made.json["group_id"] == group_id
    listed = cast.moderator.get(f"{API}/groups/{group_id}/reports").json
    assert [(r["target_type"], r["target_id"]) for r in listed] == [(target_type, target_id)]
    assert report(cast.outsider, target_type, target_id).status_code == 404
