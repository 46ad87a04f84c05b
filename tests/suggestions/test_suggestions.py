"""Suggestions: members propose and vote, moderators decide, authors hear of it."""

import json

from tests.groups.helpers import (
    API,
    add_member,
    content_kinds,
    make_group,
    notifications,
    queries_for,
    remove_member,
)


def suggest(person, group_id, title="Share audit templates", body="A *shared* folder."):
    response = person.post(
        f"{API}/groups/{group_id}/suggestions", json={"title": title, "body": body}
    )
    assert response.status_code == 201, response.json
    return response.json


def test_a_member_makes_a_suggestion(factory):
    owner = factory.person(name="Amira Khan")
    group_id = make_group(owner)

    made = suggest(owner, group_id)

    assert made["title"] == "Share audit templates"
    assert made["body_html"] == "<p>A <em>shared</em> folder.</p>\n"
    assert made["status"] == "open"
    assert made["votes"] == 0 and made["voted"] is False
    assert made["author"] == {"id": owner.user_id, "name": "Amira Khan"}
    assert made["group_id"] == group_id
    fetched = owner.get(f"{API}/suggestions/{made['id']}")
    assert fetched.status_code == 200 and fetched.json == made


def test_making_suggestions_needs_membership_and_valid_input(factory):
    owner, outsider = factory.person(), factory.person()
    open_group = make_group(owner)
    private_group, hidden_group = make_group(owner, "private"), make_group(owner, "hidden")
    body = {"title": "Idea", "body": "Details"}

    refused = outsider.post(f"{API}/groups/{open_group}/suggestions", json=body)
    assert refused.status_code == 403 and "Join" in refused.json["message"]
    assert outsider.post(f"{API}/groups/{private_group}/suggestions", json=body).status_code == 403
    assert outsider.post(f"{API}/groups/{hidden_group}/suggestions", json=body).status_code == 404
    assert owner.post(f"{API}/groups/999999/suggestions", json=body).status_code == 404
    invalid = owner.post(f"{API}/groups/{open_group}/suggestions", json={"title": " "})
    assert invalid.status_code == 422
    assert set(invalid.json["errors"]["json"]) == {"title", "body"}


def test_reading_suggestions_follows_group_visibility(factory):
    owner, outsider = factory.person(), factory.person()
    open_group, private_group = make_group(owner), make_group(owner, "private")
    hidden_group = make_group(owner, "hidden")
    open_idea = suggest(owner, open_group)
    private_idea = suggest(owner, private_group)
    hidden_idea = suggest(owner, hidden_group)

    assert outsider.get(f"{API}/groups/{open_group}/suggestions").status_code == 200
    assert outsider.get(f"{API}/suggestions/{open_idea['id']}").status_code == 200
    assert outsider.get(f"{API}/groups/{private_group}/suggestions").status_code == 403
    assert outsider.get(f"{API}/suggestions/{private_idea['id']}").status_code == 403
    assert outsider.get(f"{API}/groups/{hidden_group}/suggestions").status_code == 404
    assert outsider.get(f"{API}/suggestions/{hidden_idea['id']}").status_code == 404
    assert outsider.get(f"{API}/suggestions/999999").status_code == 404
    assert outsider.get(f"{API}/groups/999999/suggestions").status_code == 404


def test_list_sorts_by_votes_or_newest_and_shows_your_vote(factory):
    owner, a, b = factory.person(), factory.person(), factory.person()
    group_id = make_group(owner)
    add_member(owner, group_id, a)
    add_member(owner, group_id, b)
    first = suggest(owner, group_id, title="First")
    second = suggest(owner, group_id, title="Second")
    third = suggest(owner, group_id, title="Third")
    for person in (a, b):
        assert person.post(f"{API}/suggestions/{second['id']}/vote").status_code == 200
    assert a.post(f"{API}/suggestions/{first['id']}/vote").status_code == 200

    by_votes = a.get(f"{API}/groups/{group_id}/suggestions?sort=votes")
    newest = a.get(f"{API}/groups/{group_id}/suggestions?sort=new")
    default = b.get(f"{API}/groups/{group_id}/suggestions")

    assert by_votes.status_code == 200
    assert [(s["title"], s["votes"], s["voted"]) for s in by_votes.json] == [
        ("Second", 2, True),
        ("First", 1, True),
        ("Third", 0, False),
    ]
    assert [s["id"] for s in newest.json] == [third["id"], second["id"], first["id"]]
    assert [(s["title"], s["voted"]) for s in default.json] == [
        ("Second", True),
        ("First", False),
        ("Third", False),
    ]
    assert json.loads(default.headers["X-Pagination"])["total"] == 3
    assert a.get(f"{API}/groups/{group_id}/suggestions?sort=best").status_code == 422


def test_list_filters_by_status(factory):
    owner = factory.person()
    group_id = make_group(owner)
    idea = suggest(owner, group_id, title="Taken up")
    suggest(owner, group_id, title="Still open")
    owner.patch(f"{API}/suggestions/{idea['id']}", json={"status": "accepted"})

    accepted = owner.get(f"{API}/groups/{group_id}/suggestions?status=accepted")

    assert [s["title"] for s in accepted.json] == ["Taken up"]
    assert owner.get(f"{API}/groups/{group_id}/suggestions?status=maybe").status_code == 422


def test_voting_is_one_vote_a_member_and_idempotent(factory):
    owner, member = factory.person(), factory.person()
    group_id = make_group(owner)
    add_member(owner, group_id, member)
    idea = suggest(owner, group_id)
    path = f"{API}/suggestions/{idea['id']}/vote"

    voted = member.post(path)
    again = member.post(path)
    assert voted.status_code == again.status_code == 200
    assert (again.json["votes"], again.json["voted"]) == (1, True)
    assert owner.get(f"{API}/suggestions/{idea['id']}").json["voted"] is False

    withdrawn = member.delete(path)
    withdrawn_again = member.delete(path)
    assert withdrawn.status_code == withdrawn_again.status_code == 200
    assert (withdrawn_again.json["votes"], withdrawn_again.json["voted"]) == (0, False)


def test_voting_needs_membership_and_an_open_suggestion(factory):
    owner, outsider = factory.person(), factory.person()
    group_id = make_group(owner)
    private_idea = suggest(owner, make_group(owner, "private"))
    hidden_idea = suggest(owner, make_group(owner, "hidden"))
    idea = suggest(owner, group_id)

    refused = outsider.post(f"{API}/suggestions/{idea['id']}/vote")
    assert refused.status_code == 403 and "Join" in refused.json["message"]
    assert outsider.delete(f"{API}/suggestions/{idea['id']}/vote").status_code == 403
    assert outsider.post(f"{API}/suggestions/{private_idea['id']}/vote").status_code == 403
    assert outsider.post(f"{API}/suggestions/{hidden_idea['id']}/vote").status_code == 404
    assert owner.post(f"{API}/suggestions/999999/vote").status_code == 404
    assert owner.delete(f"{API}/suggestions/999999/vote").status_code == 404

    owner.patch(f"{API}/suggestions/{idea['id']}", json={"status": "declined"})
    closed = owner.post(f"{API}/suggestions/{idea['id']}/vote")
    assert closed.status_code == 409 and "declined" in closed.json["message"]
    assert owner.delete(f"{API}/suggestions/{idea['id']}/vote").status_code == 409


def test_moderators_move_suggestions_along_and_the_author_hears(factory):
    owner, moderator, author = factory.person(), factory.person(name="Mo Dee"), factory.person()
    group_id = make_group(owner)
    add_member(owner, group_id, moderator, role="moderator")
    add_member(owner, group_id, author)
    idea = suggest(author, group_id, title="Shared templates")
    path = f"{API}/suggestions/{idea['id']}"

    for status in ("under_review", "accepted", "implemented"):
        changed = moderator.patch(path, json={"status": status})
        assert changed.status_code == 200 and changed.json["status"] == status
        assert changed.json["status_changed_at"] is not None

    heard = [n for n in notifications(author) if n["kind"] == "suggestion_status"]
    assert [n["data"]["status"] for n in heard] == ["implemented", "accepted", "under_review"]
    assert heard[0]["group_id"] == group_id
    assert heard[0]["data"]["suggestion"] == {"id": idea["id"], "title": "Shared templates"}
    assert heard[0]["data"]["previous_status"] == "accepted"
    assert heard[0]["data"]["user"] == {"id": moderator.user_id, "name": "Mo Dee"}

    same = moderator.patch(path, json={"status": "implemented"})
    assert same.status_code == 200
    assert len(content_kinds(author)) == 3


def test_changing_status_is_for_moderators_and_follows_the_workflow(factory):
    owner, member, outsider = factory.person(), factory.person(), factory.person()
    group_id = make_group(owner)
    add_member(owner, group_id, member)
    idea = suggest(member, group_id)
    path = f"{API}/suggestions/{idea['id']}"

    assert member.patch(path, json={"status": "accepted"}).status_code == 403
    assert outsider.patch(path, json={"status": "accepted"}).status_code == 403
    assert owner.patch(path, json={"status": "maybe"}).status_code == 422
    assert owner.patch(path, json={}).status_code == 422
    assert owner.patch(f"{API}/suggestions/999999", json={"status": "open"}).status_code == 404
    assert owner.patch(path, json={"status": "implemented"}).status_code == 409
    assert owner.patch(path, json={"status": "declined"}).status_code == 200
    refused = owner.patch(path, json={"status": "accepted"})
    assert refused.status_code == 409
    assert "open, under_review" in refused.json["message"]
    assert owner.patch(path, json={"status": "open"}).status_code == 200


def test_a_removed_author_hears_nothing_more(factory):
    owner, author = factory.person(), factory.person()
    group_id = make_group(owner, "private")
    add_member(owner, group_id, author)
    idea = suggest(author, group_id)
    owner.patch(f"{API}/suggestions/{idea['id']}", json={"status": "under_review"})
    remove_member(owner, group_id, author, ban=True)

    owner.patch(f"{API}/suggestions/{idea['id']}", json={"status": "accepted"})

    # Nothing new; and the earlier notice no longer shows a group they cannot read.
    assert content_kinds(author) == []


def test_listing_suggestions_takes_the_same_queries_whatever_the_page_size(app, factory):
    owner = factory.person()
    group_id = make_group(owner)
    people = [factory.person() for _ in range(3)]
    for person in people:
        add_member(owner, group_id, person)
    for n in range(12):
        idea = suggest(people[n % 3], group_id, title=f"Idea {n}")
        for voter in people[: n % 4]:
            voter.post(f"{API}/suggestions/{idea['id']}/vote")
    path = f"{API}/groups/{group_id}/suggestions"
    owner.get(path)

    for sort in ("votes", "new"):
        small = queries_for(app, owner, f"{path}?sort={sort}&page_size=5")
        large = queries_for(app, owner, f"{path}?sort={sort}&page_size=100")
        assert small == large
    assert len(owner.get(f"{path}?page_size=100").json) == 12
