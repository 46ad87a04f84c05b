"""Subject groups through the API: every route, with every status it names."""

from tests.groups.helpers import API, add_member, make_group, member_count, notification_kinds


def test_creating_a_group_makes_you_its_owner_with_a_unique_slug(factory):
    owner = factory.person()
    response = owner.post(
        f"{API}/groups",
        json={
            "name": "Peer Challenge: Adult Social Care",
            "description": "Share **reviews**.",
            "visibility": "restricted",
            "tags": ["Adult care", "audit", "audit"],
        },
    )
    assert response.status_code == 201, response.json
    group = response.json
    assert group["slug"] == "peer-challenge-adult-social-care"
    assert group["description_html"] == "<p>Share <strong>reviews</strong>.</p>\n"
    assert group["tags"] == ["Adult care", "audit"]  # as typed, each once
    assert group["member_count"] == 1
    assert group["my_role"] == "owner"
    assert group["archived"] is False
    assert group["created_at"].endswith("Z")
    again = owner.post(f"{API}/groups", json={"name": "Peer challenge - adult social care"})
    assert again.status_code == 201
    assert again.json["slug"] == "peer-challenge-adult-social-care-2"
    assert again.json["visibility"] == "open"


def test_creating_a_group_checks_its_fields(factory, client):
    person = factory.person()
    response = person.post(f"{API}/groups", json={"name": "", "visibility": "secret"})
    assert response.status_code == 422
    assert set(response.json["errors"]["json"]) == {"name", "visibility"}
    assert client.post(f"{API}/groups", json={"name": "Anyone"}).status_code == 401


def test_a_groups_tags_come_in_one_order_in_the_directory_and_on_its_page(factory):
    owner = factory.person()
    tags = ["zoning", "équipe", "social-care", "social care", "Adult care"]
    group_id = make_group(owner, name="Tag order", tags=tags)

    listed = owner.get(f"{API}/groups", query_string={"q": "Tag order"}).json
    on_its_page = owner.get(f"{API}/groups/{group_id}").json

    # Lower case, in code point order, on every database whatever its collation.
    expected = ["Adult care", "social care", "social-care", "zoning", "équipe"]
    assert [g["tags"] for g in listed] == [expected]
    assert on_its_page["tags"] == expected


def test_the_directory_lists_hidden_groups_only_to_members_and_site_admins(factory):
    owner = factory.person()
    for visibility in ("open", "restricted", "private", "hidden"):
        make_group(owner, visibility, name=f"{visibility} planning")
    stranger = factory.person()
    admin = factory.client_for(factory.user(is_admin=True))

    def listed(person, query=""):
        response = person.get(f"{API}/groups?page_size=100{query}")
        assert response.status_code == 200
        return {g["visibility"]: g["my_role"] for g in response.json}

    assert listed(stranger) == {"open": None, "restricted": None, "private": None}
    assert listed(owner) == {v: "owner" for v in ("open", "restricted", "private", "hidden")}
    assert set(listed(admin)) == {"open", "restricted", "private", "hidden"}
    assert listed(stranger, "&member=me") == {}


def test_the_directory_searches_names_descriptions_and_tags_and_paginates(factory):
    owner = factory.person()
    make_group(owner, name="Housing officers", description="Homelessness duty", tags=["housing"])
    make_group(owner, name="Planning network", description="Local plans", tags=["planning"])
    make_group(owner, name="Waste and recycling", description="Bins 100% of the time", tags=[])
    reader = factory.person()

    def names(query):
        response = reader.get(f"{API}/groups?{query}")
        assert response.status_code == 200
        return [g["name"] for g in response.json]

    assert names("q=homeless") == ["Housing officers"]
    assert names("q=PLANN") == ["Planning network"]
    assert names("q=100%25") == ["Waste and recycling"]
    assert names("tag=housing") == ["Housing officers"]
    assert names("tag=Planning") == ["Planning network"]
    page = reader.get(f"{API}/groups?page=2&page_size=2")
    assert [g["name"] for g in page.json] == ["Waste and recycling"]
    assert '"total": 3' in page.headers["X-Pagination"]
    assert reader.get(f"{API}/groups?member=everyone").status_code == 422


def test_reading_a_group(factory):
    owner = factory.person()
    stranger = factory.person()
    open_id = make_group(owner, "open")
    hidden_id = make_group(owner, "hidden")
    response = stranger.get(f"{API}/groups/{open_id}")
    assert response.status_code == 200
    assert response.json["my_role"] is None
    missing = stranger.get(f"{API}/groups/999999")
    hidden = stranger.get(f"{API}/groups/{hidden_id}")
    assert missing.status_code == hidden.status_code == 404
    assert missing.json == hidden.json
    assert owner.get(f"{API}/groups/{hidden_id}").status_code == 200


def test_owners_and_moderators_edit_but_only_owners_change_visibility(factory):
    owner, moderator, member = factory.person(), factory.person(), factory.person()
    group_id = make_group(owner, "private")
    add_member(owner, group_id, moderator, "moderator")
    add_member(owner, group_id, member)
    edited = moderator.patch(
        f"{API}/groups/{group_id}",
        json={"name": "Renamed", "description": "New _words_", "tags": ["audit", "finance"]},
    )
    assert edited.status_code == 200, edited.json
    assert edited.json["name"] == "Renamed"
    assert edited.json["description_html"] == "<p>New <em>words</em></p>\n"
    assert edited.json["tags"] == ["audit", "finance"]
    assert edited.json["slug"] == "private-group"
    assert edited.json["my_role"] == "moderator"
    assert (
        moderator.patch(f"{API}/groups/{group_id}", json={"visibility": "open"}).status_code == 403
    )
    assert member.patch(f"{API}/groups/{group_id}", json={"name": "Mine"}).status_code == 403
    assert owner.patch(f"{API}/groups/{group_id}", json={"visibility": "bogus"}).status_code == 422
    opened = owner.patch(f"{API}/groups/{group_id}", json={"visibility": "open"})
    assert opened.status_code == 200
    assert opened.json["visibility"] == "open"


def test_archiving_hides_a_group_from_the_directory_but_members_keep_it(factory):
    owner, moderator, stranger = factory.person(), factory.person(), factory.person()
    group_id = make_group(owner, "open")
    add_member(owner, group_id, moderator, "moderator")
    assert moderator.delete(f"{API}/groups/{group_id}").status_code == 403
    assert owner.delete(f"{API}/groups/{group_id}").status_code == 204
    assert owner.delete(f"{API}/groups/{group_id}").status_code == 204
    assert stranger.get(f"{API}/groups").json == []
    assert stranger.get(f"{API}/groups/{group_id}").status_code == 404
    assert stranger.post(f"{API}/groups/{group_id}/join").status_code == 404
    assert owner.get(f"{API}/groups").json == []
    mine = owner.get(f"{API}/groups?member=me").json
    assert [(g["id"], g["archived"]) for g in mine] == [(group_id, True)]
    assert moderator.get(f"{API}/groups/{group_id}/members").status_code == 200


def test_a_site_admin_may_archive_any_group(factory):
    owner = factory.person()
    admin = factory.client_for(factory.user(is_admin=True))
    group_id = make_group(owner, "hidden")
    assert admin.get(f"{API}/groups/{group_id}").status_code == 200
    assert admin.delete(f"{API}/groups/{group_id}").status_code == 204
    assert owner.get(f"{API}/groups/{group_id}").json["archived"] is True


def test_joining_an_open_group(factory):
    owner, joiner = factory.person(), factory.person()
    group_id = make_group(owner, "open")
    response = joiner.post(f"{API}/groups/{group_id}/join")
    assert (response.status_code, response.json) == (200, {"status": "member"})
    assert joiner.post(f"{API}/groups/{group_id}/join").status_code == 200
    assert member_count(owner, group_id) == 2
    assert joiner.get(f"{API}/groups/{group_id}").json["my_role"] == "member"


def test_joining_a_restricted_group_asks_the_moderators(factory):
    owner, moderator, member, joiner = (factory.person() for _ in range(4))
    group_id = make_group(owner, "restricted")
    add_member(owner, group_id, moderator, "moderator")
    add_member(owner, group_id, member)
    response = joiner.post(f"{API}/groups/{group_id}/join")
    assert (response.status_code, response.json) == (202, {"status": "pending"})
    assert joiner.post(f"{API}/groups/{group_id}/join").status_code == 202
    assert notification_kinds(owner).count("join_request") == 1
    assert notification_kinds(moderator).count("join_request") == 1
    assert "join_request" not in notification_kinds(member)
    assert member_count(owner, group_id) == 3


def test_joining_a_private_or_hidden_group_needs_an_invitation(factory):
    owner, joiner = factory.person(), factory.person()
    private_id = make_group(owner, "private")
    hidden_id = make_group(owner, "hidden")
    assert joiner.post(f"{API}/groups/{private_id}/join").status_code == 403
    assert joiner.post(f"{API}/groups/{hidden_id}/join").status_code == 404
    for group_id in (private_id, hidden_id):
        invited = owner.post(
            f"{API}/groups/{group_id}/invitations", json={"user_id": joiner.user_id}
        )
        assert invited.status_code == 201
        joined = joiner.post(f"{API}/groups/{group_id}/join")
        assert (joined.status_code, joined.json) == (200, {"status": "member"})
        assert member_count(owner, group_id) == 2


def test_a_banned_person_cannot_rejoin(factory):
    owner = factory.person()
    for visibility, refused in (
        ("open", 403),
        ("restricted", 403),
        ("private", 403),
        ("hidden", 404),
    ):
        group_id = make_group(owner, visibility)
        person = factory.person()
        add_member(owner, group_id, person)
        banned = owner.delete(f"{API}/groups/{group_id}/members/{person.user_id}?ban=true")
        assert banned.status_code == 204
        assert person.post(f"{API}/groups/{group_id}/join").status_code == refused, visibility
        assert member_count(owner, group_id) == 1


def test_leaving(factory):
    owner, member, stranger = factory.person(), factory.person(), factory.person()
    group_id = make_group(owner, "open")
    add_member(owner, group_id, member)
    assert member.post(f"{API}/groups/{group_id}/leave").status_code == 204
    assert member_count(owner, group_id) == 1
    assert stranger.post(f"{API}/groups/{group_id}/leave").status_code == 404
    last = owner.post(f"{API}/groups/{group_id}/leave")
    assert last.status_code == 409
    assert "last owner" in last.json["message"]
    add_member(owner, group_id, member, "owner")
    assert owner.post(f"{API}/groups/{group_id}/leave").status_code == 204
    assert member_count(member, group_id) == 1


def test_members_are_listed_to_those_who_may_read_the_group(factory):
    owner, moderator, stranger = factory.person(), factory.person(), factory.person()
    private_id = make_group(owner, "private")
    open_id = make_group(owner, "open")
    hidden_id = make_group(owner, "hidden")
    add_member(owner, private_id, moderator, "moderator")
    response = moderator.get(f"{API}/groups/{private_id}/members")
    assert response.status_code == 200
    assert [(m["user"]["id"], m["role"]) for m in response.json] == [
        (owner.user_id, "owner"),
        (moderator.user_id, "moderator"),
    ]
    assert stranger.get(f"{API}/groups/{private_id}/members").status_code == 403
    assert stranger.get(f"{API}/groups/{open_id}/members").status_code == 200
    assert stranger.get(f"{API}/groups/{hidden_id}/members").status_code == 404


def test_members_are_listed_owners_then_moderators_then_members_by_when_they_joined(factory):
    owner = factory.person()
    first, second, third, made_moderator = (factory.person() for _ in range(4))
    group_id = make_group(owner, "open")
    for person in (first, second, made_moderator, third):
        add_member(owner, group_id, person)
    url = f"{API}/groups/{group_id}/members"
    assert (
        owner.patch(f"{url}/{made_moderator.user_id}", json={"role": "moderator"}).status_code
        == 200
    )
    assert owner.patch(f"{url}/{third.user_id}", json={"role": "owner"}).status_code == 200
    listed = [(m["user"]["id"], m["role"]) for m in owner.get(url).json]
    assert listed == [
        (owner.user_id, "owner"),
        (third.user_id, "owner"),
        (made_moderator.user_id, "moderator"),
        (first.user_id, "member"),
        (second.user_id, "member"),
    ]


def test_moderators_approve_and_decline_join_requests(factory):
    owner, moderator, member = factory.person(), factory.person(), factory.person()
    first, second = factory.person(), factory.person()
    group_id = make_group(owner, "restricted")
    add_member(owner, group_id, moderator, "moderator")
    add_member(owner, group_id, member)
    for person in (first, second):
        assert person.post(f"{API}/groups/{group_id}/join").status_code == 202
    assert member.get(f"{API}/groups/{group_id}/requests").status_code == 403
    listed = moderator.get(f"{API}/groups/{group_id}/requests")
    assert listed.status_code == 200
    assert [r["user"]["id"] for r in listed.json] == [first.user_id, second.user_id]
    assert (
        member.post(f"{API}/groups/{group_id}/requests/{first.user_id}/approve").status_code == 403
    )
    assert (
        member.post(f"{API}/groups/{group_id}/requests/{first.user_id}/decline").status_code == 403
    )

    approved = moderator.post(f"{API}/groups/{group_id}/requests/{first.user_id}/approve")
    assert (approved.status_code, approved.json) == (200, {"status": "member"})
    assert "join_approved" in notification_kinds(first)
    assert first.get(f"{API}/groups/{group_id}").json["my_role"] == "member"
    assert member_count(owner, group_id) == 4
    assert (
        moderator.post(f"{API}/groups/{group_id}/requests/{first.user_id}/approve").status_code
        == 404
    )

    declined = owner.post(f"{API}/groups/{group_id}/requests/{second.user_id}/decline")
    assert declined.status_code == 204
    assert (
        owner.post(f"{API}/groups/{group_id}/requests/{second.user_id}/decline").status_code == 404
    )
    assert owner.get(f"{API}/groups/{group_id}/requests").json == []
    assert second.get(f"{API}/groups/{group_id}/members").status_code == 403


def test_moderators_invite_people(factory):
    owner, member, invitee = factory.person(), factory.person(), factory.person()
    group_id = make_group(owner, "private")
    add_member(owner, group_id, member)
    assert (
        member.post(
            f"{API}/groups/{group_id}/invitations", json={"user_id": invitee.user_id}
        ).status_code
        == 403
    )
    response = owner.post(f"{API}/groups/{group_id}/invitations", json={"user_id": invitee.user_id})
    assert response.status_code == 201, response.json
    assert response.json["user"]["id"] == invitee.user_id
    assert response.json["invited_by"]["id"] == owner.user_id
    invitation = [n for n in invitee.get(f"{API}/notifications").json if n["kind"] == "invitation"]
    assert invitation[0]["data"]["group"]["id"] == group_id
    assert (
        owner.post(
            f"{API}/groups/{group_id}/invitations", json={"user_id": member.user_id}
        ).status_code
        == 409
    )
    unknown = owner.post(f"{API}/groups/{group_id}/invitations", json={"user_id": 999999})
    assert unknown.status_code == 422
    assert owner.post(f"{API}/groups/{group_id}/invitations", json={}).status_code == 422


def test_owners_change_roles_and_a_group_always_keeps_an_owner(factory):
    owner, moderator, member = factory.person(), factory.person(), factory.person()
    group_id = make_group(owner, "open")
    add_member(owner, group_id, moderator, "moderator")
    add_member(owner, group_id, member)
    url = f"{API}/groups/{group_id}/members"
    assert moderator.patch(f"{url}/{member.user_id}", json={"role": "moderator"}).status_code == 403
    promoted = owner.patch(f"{url}/{member.user_id}", json={"role": "moderator"})
    assert promoted.status_code == 200
    assert promoted.json["role"] == "moderator"
    assert owner.patch(f"{url}/{member.user_id}", json={"role": "king"}).status_code == 422
    assert owner.patch(f"{url}/999999", json={"role": "member"}).status_code == 404
    alone = owner.patch(f"{url}/{owner.user_id}", json={"role": "member"})
    assert alone.status_code == 409
    assert owner.patch(f"{url}/{moderator.user_id}", json={"role": "owner"}).status_code == 200
    assert owner.patch(f"{url}/{owner.user_id}", json={"role": "member"}).status_code == 200
    assert owner.get(f"{API}/groups/{group_id}").json["my_role"] == "member"


def test_moderators_remove_members_who_lose_access_at_once(factory):
    owner, moderator, member, other = (factory.person() for _ in range(4))
    group_id = make_group(owner, "private")
    add_member(owner, group_id, moderator, "moderator")
    add_member(owner, group_id, member)
    add_member(owner, group_id, other)
    url = f"{API}/groups/{group_id}/members"
    assert member.get(url).status_code == 200
    assert member.delete(f"{url}/{other.user_id}").status_code == 403
    assert moderator.delete(f"{url}/{owner.user_id}").status_code == 403
    assert moderator.delete(f"{url}/{member.user_id}").status_code == 204
    assert member.get(url).status_code == 403
    assert member_count(owner, group_id) == 3
    assert moderator.delete(f"{url}/{member.user_id}").status_code == 404
    assert moderator.delete(f"{url}/{moderator.user_id}").status_code == 422
    # Removed without a ban: they may be invited back.
    add_member(owner, group_id, member)

    assert moderator.delete(f"{url}/{other.user_id}?ban=true").status_code == 204
    assert other.get(url).status_code == 403
    assert other.post(f"{API}/groups/{group_id}/join").status_code == 403
    assert member_count(owner, group_id) == 3


def test_a_banned_person_loses_a_hidden_group_entirely(factory):
    owner, member = factory.person(), factory.person()
    group_id = make_group(owner, "hidden")
    add_member(owner, group_id, member)
    assert (
        owner.delete(f"{API}/groups/{group_id}/members/{member.user_id}?ban=true").status_code
        == 204
    )
    assert member.get(f"{API}/groups/{group_id}").status_code == 404
    assert member.get(f"{API}/groups").json == []
    assert member.post(f"{API}/groups/{group_id}/join").status_code == 404


def test_inviting_a_banned_person_lifts_the_ban(factory):
    owner, person = factory.person(), factory.person()
    group_id = make_group(owner, "open")
    assert (
        owner.delete(f"{API}/groups/{group_id}/members/{person.user_id}?ban=true").status_code
        == 204
    )
    assert person.post(f"{API}/groups/{group_id}/join").status_code == 403
    assert (
        owner.post(
            f"{API}/groups/{group_id}/invitations", json={"user_id": person.user_id}
        ).status_code
        == 201
    )
    assert person.post(f"{API}/groups/{group_id}/join").status_code == 200
