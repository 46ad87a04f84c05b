"""Lifting a ban and cancelling an invitation: afterwards the person joins as anyone would."""

from __future__ import annotations

import pytest

from tests.groups.helpers import API, add_member, make_group, remove_member

# What a person neither banned nor invited gets from POST /join.
ANYONE_JOINING = {"open": 200, "restricted": 202, "private": 403, "hidden": 404}


@pytest.mark.parametrize("visibility", list(ANYONE_JOINING))
def test_after_a_ban_is_lifted_the_person_joins_as_anyone_would(factory, visibility):
    owner, moderator, person = factory.person(), factory.person(), factory.person()
    group_id = make_group(owner, visibility)
    add_member(owner, group_id, moderator, "moderator")
    add_member(owner, group_id, person)
    remove_member(moderator, group_id, person, ban=True)
    refused = person.post(f"{API}/groups/{group_id}/join")
    assert refused.status_code == (404 if visibility == "hidden" else 403)

    lifted = moderator.delete(f"{API}/groups/{group_id}/bans/{person.user_id}")

    assert lifted.status_code == 204
    assert person.post(f"{API}/groups/{group_id}/join").status_code == ANYONE_JOINING[visibility]
    again = moderator.delete(f"{API}/groups/{group_id}/bans/{person.user_id}")
    assert again.status_code == 404 and "not banned" in again.json["message"]


@pytest.mark.parametrize("visibility", list(ANYONE_JOINING))
def test_after_an_invitation_is_cancelled_the_person_joins_as_anyone_would(factory, visibility):
    owner, moderator, person = factory.person(), factory.person(), factory.person()
    group_id = make_group(owner, visibility)
    add_member(owner, group_id, moderator, "moderator")
    invited = moderator.post(
        f"{API}/groups/{group_id}/invitations", json={"user_id": person.user_id}
    )
    assert invited.status_code == 201

    cancelled = moderator.delete(f"{API}/groups/{group_id}/invitations/{person.user_id}")

    assert cancelled.status_code == 204
    assert person.post(f"{API}/groups/{group_id}/join").status_code == ANYONE_JOINING[visibility]
    again = owner.delete(f"{API}/groups/{group_id}/invitations/{person.user_id}")
    assert again.status_code == 404 and "no pending invitation" in again.json["message"]


def test_a_member_cannot_lift_bans_or_cancel_invitations(factory):
    owner, member, banned, invitee = (factory.person() for _ in range(4))
    group_id = make_group(owner, "private")
    add_member(owner, group_id, member)
    add_member(owner, group_id, banned)
    remove_member(owner, group_id, banned, ban=True)
    assert (
        owner.post(
            f"{API}/groups/{group_id}/invitations", json={"user_id": invitee.user_id}
        ).status_code
        == 201
    )

    for path in (f"bans/{banned.user_id}", f"invitations/{invitee.user_id}"):
        response = member.delete(f"{API}/groups/{group_id}/{path}")
        assert response.status_code == 403 and response.json["message"]
    # Both still stand.
    assert banned.post(f"{API}/groups/{group_id}/join").status_code == 403
    assert invitee.post(f"{API}/groups/{group_id}/join").status_code == 200
