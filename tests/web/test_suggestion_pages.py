"""The suggestions page: ideas with their votes, sorted by votes or by time; suggesting,
voting and withdrawing a vote with a button each, and moderators moving one along."""

from __future__ import annotations

from hub.extensions import db
from hub.suggestions.models import Suggestion, SuggestionVote
from tests.groups.helpers import API, make_group
from tests.web.conftest import banner, error_summary, field_error, signed_in_member, text


def _suggest(person, group_id: int, title: str) -> int:
    response = person.post(
        f"{API}/groups/{group_id}/suggestions", json={"title": title, "body": "Why not?"}
    )
    assert response.status_code == 201, response.json
    return response.json["id"]


def _titles(page) -> list[str]:
    return [text(item.h3) for item in page.select("#suggestion-list > li")]


def _votes(page, suggestion_id: int) -> str:
    return text(page.find(id=f"suggestion-{suggestion_id}").select_one(".hub-suggestion__votes p"))


def test_a_member_suggests_votes_and_withdraws_the_vote(app, factory):
    owner = factory.person()
    group_id = make_group(owner, "restricted", name="Scrutiny")
    member = signed_in_member(app, factory, owner, group_id, name="Owen Jones")
    page = member.get(f"/groups/{group_id}/suggestions")
    assert text(page.h1) == "Suggestions"
    assert text(page.find(id="list").find_next("p")) == "No suggestions yet."
    form = page.find(id="new-suggestion").find_next("form")
    response = member.post(form["action"], {"title": "Meet online", "body": "Save *travel*."})
    assert response.location.endswith("#suggestion-" + response.location.rsplit("-", 1)[1])
    suggestion_id = int(response.location.rsplit("-", 1)[1])
    page = member.get(response.location.partition("#")[0])
    assert banner(page) == "Your suggestion has been posted."
    item = page.find(id=f"suggestion-{suggestion_id}")
    assert text(item.h3) == "Meet online"
    assert "by Owen Jones" in text(item) and text(item.find("em")) == "travel"
    assert text(item.find("strong", class_="govuk-tag")) == "Open"
    assert _votes(page, suggestion_id) == "0 votes"

    vote = item.find("form")
    assert text(vote.button) == "Vote for Meet online"
    response = member.post(vote["action"], {"sort": "votes"})
    page = member.get(response.location.partition("#")[0])
    assert banner(page) == "Your vote has been counted."
    assert _votes(page, suggestion_id) == "1 vote · including yours"
    withdraw = page.find(id=f"suggestion-{suggestion_id}").find("form")
    assert text(withdraw.button) == "Withdraw vote for Meet online"
    member.post(withdraw["action"], {})
    page = member.get(f"/groups/{group_id}/suggestions")
    assert _votes(page, suggestion_id) == "0 votes"
    with app.app_context():
        assert db.session.query(SuggestionVote).count() == 0


def test_suggestions_sort_by_votes_or_by_time(app, factory):
    owner = factory.person()
    group_id = make_group(owner, "open")
    older = _suggest(owner, group_id, "Older, with a vote")
    _suggest(owner, group_id, "Newer, no votes")
    assert owner.post(f"{API}/suggestions/{older}/vote").status_code == 200
    reader = signed_in_member(app, factory, owner, group_id)
    by_votes = reader.get(f"/groups/{group_id}/suggestions")
    assert _titles(by_votes) == ["Older, with a vote", "Newer, no votes"]
    sorting = by_votes.find("nav", attrs={"aria-label": "Sort suggestions"})
    assert text(sorting.find("strong", attrs={"aria-current": "true"})) == "most votes"
    newest = reader.get(sorting.find("a", string="newest")["href"])
    assert _titles(newest) == ["Newer, no votes", "Older, with a vote"]


def test_an_empty_suggestion_is_refused_beside_its_fields(app, factory):
    owner = factory.person()
    group_id = make_group(owner, "open")
    member = signed_in_member(app, factory, owner, group_id)
    member.get(f"/groups/{group_id}/suggestions")
    page = member.post(f"/groups/{group_id}/suggestions", {"title": "", "body": " "}, status=200)
    assert error_summary(page) == [
        ("#title", "Enter a title for your suggestion"),
        ("#body", "Describe your suggestion"),
    ]
    assert field_error(page, "body") == "Describe your suggestion"
    with app.app_context():
        assert db.session.query(Suggestion).count() == 0


def test_a_moderator_changes_the_status_and_voting_closes_when_decided(app, factory):
    owner = factory.person()
    group_id = make_group(owner, "open")
    suggestion_id = _suggest(owner, group_id, "Publish the minutes")
    moderator = signed_in_member(app, factory, owner, group_id, role="moderator")
    member = signed_in_member(app, factory, owner, group_id)
    assert member.get(f"/groups/{group_id}/suggestions").find("select") is None
    page = moderator.get(f"/groups/{group_id}/suggestions")
    select = page.find(id=f"status-{suggestion_id}")
    options = [o["value"] for o in select.find_all("option")]
    assert options == ["under_review", "accepted", "declined"]
    response = moderator.post(select.find_parent("form")["action"], {"status": "accepted"})
    page = moderator.get(response.location.partition("#")[0])
    assert banner(page) == "The suggestion's status has been changed."
    item = page.find(id=f"suggestion-{suggestion_id}")
    assert text(item.find("strong", class_="govuk-tag")) == "Accepted"
    assert item.find("form", action=lambda a: a.endswith("/vote")) is None  # decided: closed
    refused = member.post(f"/suggestions/{suggestion_id}/vote", {}, status=409)
    assert "voting on it has closed" in text(refused.find("main"))
    member.post(f"/suggestions/{suggestion_id}/status", {"status": "declined"}, status=403)


def test_a_private_groups_suggestions_are_not_there_for_a_non_member(app, factory, signed_in):
    owner = factory.person()
    group_id = make_group(owner, "private")
    suggestion_id = _suggest(owner, group_id, "Secret plan")
    page = signed_in.get(f"/groups/{group_id}/suggestions", status=404)
    assert "Secret plan" not in str(page)
    signed_in.get("/groups")
    for path, data in (
        (f"/groups/{group_id}/suggestions", {"title": "Mine", "body": "Mine"}),
        (f"/suggestions/{suggestion_id}/vote", {}),
        (f"/suggestions/{suggestion_id}/unvote", {}),
        (f"/suggestions/{suggestion_id}/status", {"status": "accepted"}),
    ):
        assert text(signed_in.post(path, data, status=404).h1) == "Page not found", path
    with app.app_context():
        assert db.session.query(Suggestion).one().status == "open"
        assert db.session.query(SuggestionVote).count() == 0
