"""The live room as a page, read without JavaScript: a session's title, status, times and
questions; asking with the form; starting and ending; an ended session's transcript."""

from __future__ import annotations

import json

import pytest

from tests.groups.helpers import add_member, make_group
from tests.live.helpers import API, LiveClient, ThreadedServer, end, schedule, start
from tests.web.conftest import Browser, banner, error_summary, field_error, text


@pytest.fixture
def room(app, factory):
    """A private group with an owner (who moderates), a panelist and two members, each
    with a signed-in browser, and a scheduled session announced for a summer afternoon."""

    class Room:
        pass

    for role in ("owner", "panelist", "member", "other"):
        user = factory.user(name=f"{role.title()} Person")
        browser = Browser(app)
        browser.sign_in(user)
        browser.api = factory.client_for(user)
        setattr(Room, role, browser)
    Room.group_id = make_group(Room.owner.api, "private", name="Audit chairs")
    for role in ("member", "other"):
        add_member(Room.owner.api, Room.group_id, getattr(Room, role).api)
    Room.session_id = schedule(
        Room.owner.api,
        Room.group_id,
        title="Budget scrutiny Q&A",
        starts_at="2026-07-01T13:00:00Z",  # 2pm in London (BST)
        panelist_ids=[Room.panelist.api.user_id],
        transcript_includes_chat=True,
    )["id"]
    Room.path = f"/live/{Room.session_id}"
    return Room


@pytest.fixture
def sockets(app):
    """Real Socket.IO clients on the app served from a thread: votes, answers and
    moderation go over the live channel only."""
    server = ThreadedServer(app)
    made: list[LiveClient] = []

    def connect(person: Browser) -> LiveClient:
        made.append(LiveClient(server.url, person.api.token))
        return made[-1]

    yield connect
    for client in made:
        client.disconnect()
    server.stop()


def ask(person, session_id: int, question: str, **fields) -> dict:
    response = person.post(
        f"{API}/live-sessions/{session_id}/questions", json={"text": question, **fields}
    )
    assert response.status_code == 201, response.json
    return response.json


def questions_shown(page) -> list[str]:
    return [text(li.find(class_="hub-question__text")) for li in page.select("#questions > li")]


def votes_shown(page) -> list[str]:
    return [text(span) for span in page.select("#questions .hub-question__votes")]


def test_a_scheduled_session_shows_its_title_time_in_uk_time_and_no_room_yet(room):
    page = room.member.get(room.path)
    assert text(page.h1) == "Budget scrutiny Q&A"
    assert text(page.find(id="live-status")) == "Scheduled"
    assert "1 July 2026 at 2:00pm" in text(page.find(class_="govuk-summary-list"))
    assert "Panelist Person" in text(page.find(class_="govuk-summary-list"))
    assert "has not started yet" in text(page.find(class_="govuk-inset-text"))
    assert page.find(id="live-room") is None and page.find(id="live-state") is None
    assert page.find("form", action=f"/live-sessions/{room.session_id}/start") is None


def test_a_live_room_shows_its_questions_by_votes_or_by_time_without_javascript(room, sockets):
    start(room.owner.api, room.session_id)
    first = ask(room.member.api, room.session_id, "Why did the reserves fall?")
    second = ask(room.other.api, room.session_id, "Who sets the savings target?")
    ask(room.other.api, room.session_id, "Is the capital plan affordable?", anonymous=True)
    for person in (room.member, room.other):
        sockets(person).ok("vote", {"session_id": room.session_id, "question_id": second["id"]})
    page = room.member.get(room.path)
    assert text(page.find(id="live-status")) == "Live now"
    assert questions_shown(page) == [
        "Who sets the savings target?",
        "Why did the reserves fall?",
        "Is the capital plan affordable?",
    ]
    assert votes_shown(page) == ["2 votes", "0 votes", "0 votes"]
    newest = room.member.get(room.path + "?sort=new")
    assert questions_shown(newest) == [
        "Is the capital plan affordable?",
        "Who sets the savings target?",
        "Why did the reserves fall?",
    ]
    anonymous = newest.find(id=f"question-{first['id'] + 2}")
    assert "Anonymous" in text(anonymous) and "Other Person" not in text(anonymous)
    assert votes_shown(newest) == ["0 votes", "2 votes", "0 votes"]
    assert newest.find("a", attrs={"data-sort": "new"})["aria-current"] == "true"
    # What live.js starts from: the room as rendered, with the seq it reflects.
    state = json.loads(page.find(id="live-state").string)
    api_view = room.member.api.get(f"{API}/live-sessions/{room.session_id}").json
    assert state["seq"] == api_view["seq"] == 6  # started, 3 questions, 2 votes
    assert state["my_votes"] == [second["id"]]
    assert [q["id"] for q in state["questions"]] == [q["id"] for q in api_view["questions"]]
    assert state["moderator"] is False and state["may_take_part"] is True
    assert page.find("script", src="/assets/live.js")["type"] == "module"


def test_an_ended_session_shows_its_transcript_without_javascript(room, sockets):
    start(room.owner.api, room.session_id)
    asked = ask(room.member.api, room.session_id, "Why did the reserves fall?")
    other = ask(room.other.api, room.session_id, "Who sets the savings target?")
    hidden = ask(room.other.api, room.session_id, "Off topic")
    panelist = sockets(room.panelist)
    session = {"session_id": room.session_id}
    panelist.ok("answer", {**session, "question_id": asked["id"], "text": "Pay awards."})
    panelist.ok("moderate", {**session, "question_id": hidden["id"], "action": "hide"})
    for person in (room.member, room.other):
        sockets(person).ok("vote", {**session, "question_id": asked["id"]})
    sockets(room.member).ok("vote", {**session, "question_id": other["id"]})
    sockets(room.member).ok("chat", {**session, "text": "Good session"})
    end(room.owner.api, room.session_id)

    page = room.other.get(room.path)
    assert text(page.find(id="live-status")) == "Ended"
    assert page.find("script", src="/assets/live.js") is None  # it reads without JS
    assert text(page.find(id="transcript").find_next("h3")) == "2 questions"
    assert questions_shown(page) == ["Why did the reserves fall?", "Who sets the savings target?"]
    assert votes_shown(page) == ["2 votes", "1 vote"]
    first = page.find(id=f"question-{asked['id']}")
    assert "Answered" in text(first)
    assert text(first.find(class_="hub-question__answers")) == (
        "Answer from Panelist Person: Pay awards."
    )
    assert "Off topic" not in text(page.find("main"))
    assert "Good session" in text(page.find(id="chat-messages"))
    thread = page.find("a", string="The transcript in the group's forum")["href"]
    assert "Why did the reserves fall?" in text(room.other.get(thread).find("main"))
    # Nothing to start or end any more.
    assert room.owner.get(room.path).find("form", action=lambda a: a and "/end" in a) is None


def test_a_member_asks_with_the_form_and_comes_back_to_the_question(room):
    start(room.owner.api, room.session_id)
    room.member.get(room.path)
    response = room.member.post(
        f"/live-sessions/{room.session_id}/questions",
        {"text": "  Will the report be public?  ", "anonymous": "true"},
    )
    listed = room.member.api.get(f"{API}/live-sessions/{room.session_id}/questions").json
    assert [(q["text"], q["anonymous"], q["author"]) for q in listed] == [
        ("Will the report be public?", True, None)
    ]
    assert response.location == (
        f"/live/{room.session_id}?sort=new&done=asked#question-{listed[0]['id']}"
    )
    page = room.member.get(response.location)
    assert banner(page) == "Your question has been added."
    assert questions_shown(page) == ["Will the report be public?"]
    # Everyone in the room heard it (the seq rose), as from the API's POST.
    assert room.other.api.get(f"{API}/live-sessions/{room.session_id}").json["seq"] == 2


def test_a_blank_or_refused_question_is_shown_beside_its_field_and_nothing_is_stored(room, factory):
    start(room.owner.api, room.session_id)
    room.member.get(room.path)
    page = room.member.post(
        f"/live-sessions/{room.session_id}/questions", {"text": "  "}, status=200
    )
    assert error_summary(page) == [("#text", "Enter your question")]
    assert field_error(page, "text") == "Enter your question"
    assert text(page.title).startswith("Error:")
    strict = schedule(room.owner.api, room.group_id, allow_anonymous=False)["id"]
    start(room.owner.api, strict)
    room.member.get(f"/live/{strict}")
    assert room.member.last.find(id="anonymous") is None  # not offered
    page = room.member.post(
        f"/live-sessions/{strict}/questions",
        {"text": "Sneaky?", "anonymous": "true"},
        status=200,
    )
    assert field_error(page, "text") == "This session does not take anonymous questions."
    assert page.find(id="text").string.strip() == "Sneaky?"  # what was typed stays
    for session_id in (room.session_id, strict):
        assert room.member.api.get(f"{API}/live-sessions/{session_id}/questions").json == []


def test_a_waiting_question_shows_to_its_asker_and_moderators_only(room):
    moderated = schedule(room.owner.api, room.group_id, moderated=True)["id"]
    start(room.owner.api, moderated)
    room.member.get(f"/live/{moderated}")
    response = room.member.post(f"/live-sessions/{moderated}/questions", {"text": "Pending?"})
    page = room.member.get(response.location)
    assert "once a moderator approves it" in banner(page)
    assert "Waiting for approval" in text(page.find(id="questions"))
    assert "Waiting for approval" in text(room.owner.get(f"/live/{moderated}").find(id="questions"))
    assert questions_shown(room.other.get(f"/live/{moderated}")) == []


def test_moderators_and_panelists_start_and_end_with_buttons_members_do_not(room):
    assert room.member.get(room.path).find("form", action=lambda a: a and "/start" in a) is None
    room.member.post(f"/live-sessions/{room.session_id}/start", {}, status=403)
    form = room.panelist.get(room.path).find(
        "form", action=f"/live-sessions/{room.session_id}/start"
    )
    assert text(form.button) == "Start the session"
    response = room.panelist.post(form["action"], {})
    page = room.panelist.get(response.location)
    assert banner(page) == "The session is live."
    assert text(page.find(id="live-status")) == "Live now"
    assert room.member.api.get(f"{API}/live-sessions/{room.session_id}").json["status"] == "live"
    form = page.find("form", action=f"/live-sessions/{room.session_id}/end")
    assert text(form.button) == "End the session"
    page = room.owner.get(room.owner.post(form["action"], {}).location)
    assert "has ended" in banner(page)
    assert text(page.find(id="live-status")) == "Ended"
    # Starting again: the service's refusal, as an HTML page.
    refused = room.owner.post(f"/live-sessions/{room.session_id}/start", {}, status=409)
    assert "only a scheduled one starts" in text(refused.find("main"))


def test_the_group_page_links_its_live_sessions_with_their_status(room):
    page = room.member.get(f"/groups/{room.group_id}")
    link = page.find(id="live-sessions").find_next("ul").find("a")
    assert text(link) == "Budget scrutiny Q&A" and link["href"] == room.path
    assert "Scheduled" in text(link.parent)


def test_a_session_you_may_not_follow_is_the_html_404_page(room, factory):
    outsider = Browser(room.owner.app)
    outsider.sign_in(factory.user())
    page = outsider.get(room.path, status=404)
    assert "Budget scrutiny" not in text(page)
    outsider.post(f"/live-sessions/{room.session_id}/questions", {"text": "Hi"}, status=404)
    assert room.owner.api.get(f"{API}/live-sessions/{room.session_id}/questions").status_code == 200
