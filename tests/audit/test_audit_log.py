"""The audit log: each moderation and administration action writes one entry, in the same
transaction; refused actions, and people taking back their own words, write none."""

from __future__ import annotations

import json

import pytest

from hub.audit.service import record
from hub.auth.models import User
from hub.extensions import db
from tests.groups.helpers import API, add_member, make_group, reply, start_thread
from tests.library.helpers import uploaded


@pytest.fixture
def cast(factory):
    class Cast:
        owner = factory.person(name="Olivia Owner")
        moderator = factory.person(name="Mo Moderator")
        member = factory.person(name="Mel Member")
        outsider = factory.person(name="Oscar Outsider")
        admin = factory.client_for(factory.user(name="Ada Admin", is_admin=True))

    Cast.group_id = make_group(Cast.owner, "restricted")
    add_member(Cast.owner, Cast.group_id, Cast.moderator, "moderator")
    add_member(Cast.owner, Cast.group_id, Cast.member)
    return Cast


def group_log(cast) -> list[dict]:
    response = cast.owner.get(f"{API}/groups/{cast.group_id}/audit?page_size=100")
    assert response.status_code == 200, response.json
    return response.json


def site_log(cast) -> list[dict]:
    response = cast.admin.get(f"{API}/admin/audit?page_size=100")
    assert response.status_code == 200, response.json
    return response.json


def ok(response, status: int = 200) -> dict | None:
    assert response.status_code == status, response.get_data(True)
    return response.get_json(silent=True)


# Each: the action, done by a moderator (or an admin) through the API; it returns the
# target's id. What it writes: (action, target_type, detail).
def change_role(c):
    url = f"{API}/groups/{c.group_id}/members/{c.member.user_id}"
    ok(c.owner.patch(url, json={"role": "moderator"}))
    return c.member.user_id


def remove(c):
    ok(c.moderator.delete(f"{API}/groups/{c.group_id}/members/{c.member.user_id}"), 204)
    return c.member.user_id


def ban(c):
    url = f"{API}/groups/{c.group_id}/members/{c.member.user_id}?ban=true"
    ok(c.moderator.delete(url), 204)
    return c.member.user_id


def lift_ban(c):
    ban(c)
    ok(c.moderator.delete(f"{API}/groups/{c.group_id}/bans/{c.member.user_id}"), 204)
    return c.member.user_id


def approve(c):
    ok(c.outsider.post(f"{API}/groups/{c.group_id}/join"), 202)
    ok(c.moderator.post(f"{API}/groups/{c.group_id}/requests/{c.outsider.user_id}/approve"))
    return c.outsider.user_id


def decline(c):
    ok(c.outsider.post(f"{API}/groups/{c.group_id}/join"), 202)
    url = f"{API}/groups/{c.group_id}/requests/{c.outsider.user_id}/decline"
    ok(c.moderator.post(url), 204)
    return c.outsider.user_id


def invite(c):
    url = f"{API}/groups/{c.group_id}/invitations"
    ok(c.moderator.post(url, json={"user_id": c.outsider.user_id}), 201)
    return c.outsider.user_id


def cancel_invitation(c):
    invite(c)
    url = f"{API}/groups/{c.group_id}/invitations/{c.outsider.user_id}"
    ok(c.moderator.delete(url), 204)
    return c.outsider.user_id


def delete_post(c):
    thread = start_thread(c.member, c.group_id)
    post = reply(c.member, thread["id"])
    ok(c.moderator.delete(f"{API}/posts/{post['id']}"), 204)
    return post["id"]


def delete_thread(c):
    thread = start_thread(c.member, c.group_id)
    ok(c.moderator.delete(f"{API}/threads/{thread['id']}"), 204)
    return thread["id"]


def delete_file(c):
    file = uploaded(c.member, c.group_id)
    ok(c.moderator.delete(f"{API}/library/files/{file['id']}"), 204)
    return file["id"]


def change_suggestion_status(c):
    body = {"title": "Share templates", "body": "Please."}
    made = ok(c.member.post(f"{API}/groups/{c.group_id}/suggestions", json=body), 201)
    ok(c.moderator.patch(f"{API}/suggestions/{made['id']}", json={"status": "accepted"}))
    return made["id"]


def close_report(status: str):
    def close(c):
        thread = start_thread(c.member, c.group_id)
        body = {"target_type": "thread", "target_id": thread["id"], "reason": "Off topic."}
        made = ok(c.member.post(f"{API}/reports", json=body), 201)
        ok(c.moderator.patch(f"{API}/reports/{made['id']}", json={"status": status}))
        return made["id"]

    return close


GROUP_ACTIONS = [
    (
        change_role,
        "member.role_changed",
        "person",
        {"role": "moderator", "previous_role": "member"},
    ),
    (remove, "member.removed", "person", {}),
    (ban, "member.banned", "person", {"was_member": True}),
    (lift_ban, "ban.lifted", "person", {}),
    (approve, "request.approved", "person", {}),
    (decline, "request.declined", "person", {}),
    (invite, "invitation.created", "person", {}),
    (cancel_invitation, "invitation.cancelled", "person", {}),
    (delete_post, "post.deleted", "post", None),
    (delete_thread, "thread.deleted", "thread", None),
    (delete_file, "file.deleted", "file", None),
    (
        change_suggestion_status,
        "suggestion.status_changed",
        "suggestion",
        {"status": "accepted", "previous_status": "open"},
    ),
    (close_report("resolved"), "report.resolved", "report", None),
    (close_report("dismissed"), "report.dismissed", "report", None),
]


@pytest.mark.parametrize(
    ("act", "action", "target_type", "detail"), GROUP_ACTIONS, ids=[a[1] for a in GROUP_ACTIONS]
)
def test_each_moderation_action_writes_one_entry_to_the_group_and_site_logs(
    cast, act, action, target_type, detail
):
    before = {e["id"] for e in site_log(cast)}

    target_id = act(cast)

    entry = group_log(cast)[0]
    assert entry["action"] == action
    assert (entry["target_type"], entry["target_id"]) == (target_type, target_id)
    assert entry["group_id"] == cast.group_id
    actor = cast.owner if action == "member.role_changed" else cast.moderator
    assert entry["actor"] == {"id": actor.user_id, "name": actor_name(actor, cast)}
    if detail is not None:
        assert entry["detail"] == detail
    assert entry["at"].endswith("Z")
    new = [e for e in site_log(cast) if e["id"] not in before]
    assert new[0] == entry  # the newest, the same in both logs
    assert [e["action"] for e in new].count(action) == 1


def actor_name(person, cast) -> str:
    return "Olivia Owner" if person is cast.owner else "Mo Moderator"


def test_the_logs_are_newest_first_and_paginated(cast):
    setting_up = len(group_log(cast))  # the moderator's and the member's invitations...
    remove(cast)
    invite(cast)

    response = cast.owner.get(f"{API}/groups/{cast.group_id}/audit?page_size=1")

    assert [e["action"] for e in response.json] == ["invitation.created"]
    assert json.loads(response.headers["X-Pagination"])["total"] == setting_up + 2
    second = cast.owner.get(f"{API}/groups/{cast.group_id}/audit?page=2&page_size=1")
    assert [e["action"] for e in second.json] == ["member.removed"]


def test_approving_an_account_is_in_the_site_log_only(cast, factory):
    waiting = factory.user(name="Wanda Waiting", email="wanda@example.com", approved_at=None)

    ok(cast.admin.post(f"{API}/admin/accounts/{waiting.id}/approve"))

    entry = site_log(cast)[0]
    assert (entry["action"], entry["target_type"], entry["target_id"]) == (
        "account.approved",
        "person",
        waiting.id,
    )
    assert entry["group_id"] is None and entry["actor"]["id"] == cast.admin.user_id
    assert "account.approved" not in {e["action"] for e in group_log(cast)}
    # Approving again changes nothing and records nothing.
    ok(cast.admin.post(f"{API}/admin/accounts/{waiting.id}/approve"))
    assert [e["action"] for e in site_log(cast)].count("account.approved") == 1


def test_people_taking_back_their_own_words_is_not_moderation(cast):
    thread = start_thread(cast.member, cast.group_id)
    post = reply(cast.member, thread["id"])
    file = uploaded(cast.member, cast.group_id)
    before = group_log(cast)

    ok(cast.member.delete(f"{API}/posts/{post['id']}"), 204)
    ok(cast.member.delete(f"{API}/library/files/{file['id']}"), 204)
    ok(cast.member.delete(f"{API}/threads/{thread['id']}"), 204)

    assert group_log(cast) == before


def test_refused_actions_write_nothing(cast):
    before = site_log(cast)
    thread = start_thread(cast.owner, cast.group_id)
    refused = [
        cast.member.delete(f"{API}/groups/{cast.group_id}/members/{cast.moderator.user_id}"),
        cast.moderator.patch(
            f"{API}/groups/{cast.group_id}/members/{cast.member.user_id}", json={"role": "owner"}
        ),
        cast.outsider.delete(f"{API}/threads/{thread['id']}"),
        cast.member.post(
            f"{API}/groups/{cast.group_id}/invitations", json={"user_id": cast.outsider.user_id}
        ),
        # The last owner cannot be demoted: refused after the checks began.
        cast.owner.patch(
            f"{API}/groups/{cast.group_id}/members/{cast.owner.user_id}", json={"role": "member"}
        ),
        cast.moderator.delete(f"{API}/groups/{cast.group_id}/bans/{cast.member.user_id}"),
        cast.moderator.delete(f"{API}/groups/{cast.group_id}/invitations/{cast.member.user_id}"),
        cast.member.post(f"{API}/admin/accounts/{cast.outsider.user_id}/approve"),
    ]
    assert [r.status_code for r in refused] == [403, 403, 403, 403, 409, 404, 404, 403]
    assert site_log(cast) == before


def test_an_entry_is_written_with_its_transaction_or_not_at_all(app, cast):
    """record() only adds to the caller's transaction: a rollback takes it away; a commit
    keeps it (as the admin endpoints that deactivate and reactivate accounts use it)."""
    with app.app_context():
        admin = db.session.get(User, cast.admin.user_id)
        record(admin, "account.deactivated", "person", cast.member.user_id)
        db.session.rollback()
        record(admin, "account.reactivated", "person", cast.member.user_id)
        db.session.commit()

    actions = [e["action"] for e in site_log(cast)]
    assert "account.deactivated" not in actions
    assert actions[0] == "account.reactivated"
