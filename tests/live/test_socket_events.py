"""Every client event and every error code, through a real server and real clients."""

from __future__ import annotations

import time

import pytest

from tests.live.helpers import API, end, seqs, start


def test_a_live_session_from_join_to_end(cast, clients):
    member = clients(cast.member.token)
    panelist = clients(cast.panelist.token)

    joined = member.ok("join", {"session_id": cast.session_id})
    assert joined["seq"] == 0
    assert joined["session"]["status"] == "scheduled"
    assert joined["questions"] == []
    panelist.ok("join", {"session_id": cast.session_id})

    start(cast.panelist, cast.session_id)
    started = member.wait_for_types("session.started")[-1]
    assert started["seq"] == 1 and started["data"]["status"] == "live"
    assert started["session_id"] == cast.session_id

    asked = member.ok("ask", {"session_id": cast.session_id, "text": "How did you fund it?"})
    question = asked["question"]
    assert question["author"] == {"id": cast.member.user_id, "name": "Mel Member"}
    assert question["status"] == "visible" and question["votes"] == 0
    assert set(question) == {
        "id",
        "text",
        "author",
        "anonymous",
        "votes",
        "status",
        "pinned",
        "answered",
        "answers",
        "created_at",
    }
    created = panelist.wait_for_types("question.created")[-1]
    assert created["seq"] == 2 and created["data"] == question

    voted = panelist.ok("vote", {"session_id": cast.session_id, "question_id": question["id"]})
    assert voted["votes"] == 1
    again = panelist.ok("vote", {"session_id": cast.session_id, "question_id": question["id"]})
    assert again["votes"] == 1  # one vote a person
    other = clients(cast.other.token)
    assert (
        other.ok("vote", {"session_id": cast.session_id, "question_id": question["id"]})["votes"]
        == 2
    )
    assert (
        other.ok("unvote", {"session_id": cast.session_id, "question_id": question["id"]})["votes"]
        == 1
    )

    panelist.ok(
        "answer",
        {
            "session_id": cast.session_id,
            "question_id": question["id"],
            "text": "From the transformation fund.",
        },
    )
    for action in ("pin", "unpin", "mark_answered", "hide", "approve"):
        panelist.ok(
            "moderate",
            {"session_id": cast.session_id, "question_id": question["id"], "action": action},
        )
    said = member.ok("chat", {"session_id": cast.session_id, "text": "Great session"})
    assert said["message"]["text"] == "Great session"
    assert said["message"]["author"]["id"] == cast.member.user_id

    end(cast.panelist, cast.session_id)
    events = member.wait_for_types("session.ended")
    visible = [e for e in events if e["type"] != "presence"]
    assert [e["type"] for e in visible] == [
        "session.started",
        "question.created",
        "question.voted",
        "question.voted",
        "question.voted",
        "question.answered",
        "question.pinned",
        "question.unpinned",
        "question.hidden",
        "question.approved",
        "chat.message",
        "session.ended",
    ]
    assert seqs(visible) == list(range(1, 13))  # no gaps, no duplicates
    answered = visible[5]["data"]
    assert answered["answered"] is True
    assert answered["answers"][0]["text"] == "From the transformation fund."
    assert answered["answers"][0]["author"]["id"] == cast.panelist.user_id
    assert visible[6]["data"]["pinned"] is True
    assert visible[8]["data"]["status"] == "hidden"
    assert visible[-1]["data"]["status"] == "ended"
    assert visible[-1]["data"]["transcript_thread_id"] is not None

    # The panelist saw the same events with the same numbers.
    panelist.wait_for_types("session.ended")
    assert seqs(panelist.visible()) == seqs(visible)

    # After the end: not_live for every change.
    for event, payload in (
        ("ask", {"text": "Too late?"}),
        ("vote", {"question_id": question["id"]}),
        ("unvote", {"question_id": question["id"]}),
        ("answer", {"question_id": question["id"], "text": "x"}),
        ("moderate", {"question_id": question["id"], "action": "pin"}),
        ("chat", {"text": "bye"}),
    ):
        who = panelist if event in ("answer", "moderate") else member
        assert who.error(event, {"session_id": cast.session_id, **payload}) == "not_live"

    assert member.ok("leave", {"session_id": cast.session_id}) == {"ok": True}


def test_before_the_start_changes_are_not_live(cast, clients):
    member = clients(cast.member.token)
    member.ok("join", {"session_id": cast.session_id})
    assert member.error("ask", {"session_id": cast.session_id, "text": "Early?"}) == "not_live"
    assert member.error("chat", {"session_id": cast.session_id, "text": "hi"}) == "not_live"


def test_errors_invalid_not_found_and_forbidden(cast, clients):
    start(cast.owner, cast.session_id)
    member = clients(cast.member.token)
    sid = cast.session_id
    # invalid: missing fields, wrong types, not an object, too long, unknown action
    assert member.error("join", {}) == "invalid"
    assert member.error("join", "not an object") == "invalid"
    assert member.error("join", {"session_id": "many"}) == "invalid"
    assert member.error("ask", {"session_id": sid, "text": "x" * 1001}) == "invalid"
    assert member.error("ask", {"session_id": sid, "text": "   "}) == "invalid"
    assert member.ok("ask", {"session_id": sid, "text": "y" * 1000})["question"]["text"]
    assert member.error("chat", {"session_id": sid, "text": "x" * 2001}) == "invalid"
    assert member.ok("chat", {"session_id": sid, "text": "z" * 2000})
    moderator = clients(cast.moderator.token)
    assert (
        moderator.error("moderate", {"session_id": sid, "question_id": 1, "action": "delete"})
        == "invalid"
    )
    # not_found: no such session, no such question
    assert member.error("join", {"session_id": 999999}) == "not_found"
    assert member.error("vote", {"session_id": sid, "question_id": 999999}) == "not_found"
    # forbidden: attendees cannot answer or moderate; outsiders cannot join
    question = member.ok("ask", {"session_id": sid, "text": "Q"})["question"]
    assert (
        member.error("answer", {"session_id": sid, "question_id": question["id"], "text": "me"})
        == "forbidden"
    )
    assert (
        member.error(
            "moderate", {"session_id": sid, "question_id": question["id"], "action": "pin"}
        )
        == "forbidden"
    )
    outsider = clients(cast.outsider.token)
    assert outsider.error("join", {"session_id": sid}) == "forbidden"
    assert outsider.error("ask", {"session_id": sid, "text": "Let me in"}) == "forbidden"
    # An event without an acknowledgement callback is still handled (and harmless).
    member.sio.emit("ask", {"session_id": sid, "text": "fire and forget"}, namespace="/live")


def test_anonymous_questions_show_no_author(cast, clients):
    start(cast.owner, cast.session_id)
    member, other = clients(cast.member.token), clients(cast.other.token)
    other.ok("join", {"session_id": cast.session_id})
    asked = member.ok(
        "ask", {"session_id": cast.session_id, "text": "Sensitive one", "anonymous": True}
    )["question"]
    assert asked["author"] is None and asked["anonymous"] is True
    event = other.wait_for_types("question.created")[-1]
    assert event["data"]["author"] is None
    assert set(event["data"]) == set(asked) and "Mel Member" not in repr(event)
    listed = cast.other.get(f"{API}/live-sessions/{cast.session_id}/questions").json
    assert listed[0]["author"] is None


def test_anonymous_questions_refused_when_the_session_does_not_allow_them(cast, clients):
    from tests.live.helpers import schedule

    session = schedule(cast.owner, cast.group_id, allow_anonymous=False)
    start(cast.owner, session["id"])
    member = clients(cast.member.token)
    assert (
        member.error("ask", {"session_id": session["id"], "text": "x", "anonymous": True})
        == "invalid"
    )


def test_moderated_sessions_show_pending_questions_to_moderators_and_the_asker(cast, clients):
    from tests.live.helpers import schedule

    session = schedule(
        cast.owner, cast.group_id, moderated=True, panelist_ids=[cast.panelist.user_id]
    )
    sid = session["id"]
    start(cast.owner, sid)
    asker, other = clients(cast.member.token), clients(cast.other.token)
    panelist, moderator = clients(cast.panelist.token), clients(cast.moderator.token)
    for client in (asker, other, panelist, moderator):
        client.ok("join", {"session_id": sid})

    question = asker.ok("ask", {"session_id": sid, "text": "Pending?"})["question"]
    assert question["status"] == "pending"
    for client in (asker, panelist, moderator):
        pending = client.wait_for_types("question.created")[-1]
        assert pending["data"]["status"] == "pending"
        assert pending["seq"] == 1  # the current seq, not raised
    # The other attendee sees nothing, in events or state, and cannot vote on it (the
    # join is a round trip on its own connection: what was sent to it has arrived).
    assert other.ok("join", {"session_id": sid})["questions"] == []
    assert other.of_type("question.created") == []
    assert asker.ok("join", {"session_id": sid})["questions"][0]["id"] == question["id"]
    assert len(panelist.ok("join", {"session_id": sid})["questions"]) == 1
    assert other.error("vote", {"session_id": sid, "question_id": question["id"]}) == "not_found"
    assert cast.other.get(f"{API}/live-sessions/{sid}/questions").json == []

    moderator.ok(
        "moderate", {"session_id": sid, "question_id": question["id"], "action": "approve"}
    )
    approved = other.wait_for_types("question.approved")[-1]
    assert approved["seq"] == 2 and approved["data"]["status"] == "visible"
    # A pending question is never replayed: only stored events are.
    late = clients(cast.other.token)
    late.ok("join", {"session_id": sid, "since_seq": 0})
    assert [e["type"] for e in late.visible()] == ["session.started", "question.approved"]

    # Hiding a pending question stays between moderators and the asker too.
    second = asker.ok("ask", {"session_id": sid, "text": "Another"})["question"]
    moderator.ok("moderate", {"session_id": sid, "question_id": second["id"], "action": "hide"})
    asker.wait_for(
        lambda events: any(
            e["type"] == "question.hidden" and e["data"]["id"] == second["id"] for e in events
        )
    )
    other.ok("join", {"session_id": sid})  # a round trip: what was sent to it has arrived
    assert other.of_type("question.hidden") == []


def test_rate_limits(cast, clients):
    start(cast.owner, cast.session_id)
    member = clients(cast.member.token)
    sid = cast.session_id
    answers = [member.call("ask", {"session_id": sid, "text": f"Q{n}"}) for n in range(11)]
    assert all(a["ok"] for a in answers[:10]), answers
    assert answers[10]["error"]["code"] == "rate_limited"
    assert answers[10]["error"]["retry_after"] >= 1
    chats = [member.call("chat", {"session_id": sid, "text": f"c{n}"}) for n in range(61)]
    assert all(c["ok"] for c in chats[:60])
    assert chats[60]["error"]["code"] == "rate_limited"
    # The REST way in shares the limit.
    response = cast.member.post(f"{API}/live-sessions/{sid}/questions", json={"text": "REST"})
    assert response.status_code == 429 and int(response.headers["Retry-After"]) >= 1


@pytest.mark.parametrize("count", [2])
def test_presence_counts_people_at_most_once_a_second(cast, clients, count):
    watchers = [clients(p.token) for p in (cast.member, cast.other)][:count]
    for watcher in watchers:
        watcher.ok("join", {"session_id": cast.session_id})
    events = watchers[0].wait_for(
        lambda es: any(e["type"] == "presence" and e["data"]["count"] == count for e in es)
    )
    presence = [e for e in events if e["type"] == "presence"]
    assert presence[-1]["seq"] == 0
    watchers[1].ok("leave", {"session_id": cast.session_id})
    watchers[0].wait_for(
        lambda es: [e for e in es if e["type"] == "presence"][-1]["data"]["count"] == 1
    )
    # Burst of joins and leaves: presence events stay at most one a second.
    watchers[0].clear()
    began = time.monotonic()
    for _ in range(10):
        watchers[1].ok("join", {"session_id": cast.session_id})
        watchers[1].ok("leave", {"session_id": cast.session_id})
    time.sleep(max(0.0, 2.2 - (time.monotonic() - began)))
    elapsed = time.monotonic() - began
    assert 1 <= len(watchers[0].of_type("presence")) <= int(elapsed) + 1


def test_unknown_events_and_fields_are_answered_invalid(cast, clients):
    member = clients(cast.member.token)
    answer = member.call("shout", {"session_id": cast.session_id})
    assert answer["ok"] is False and answer["error"]["code"] == "invalid"
    assert "join" in answer["error"]["message"]  # it names the events there are
    # `since` for `since_seq`: refused rather than silently ignored (no replay would come).
    refused = member.call("join", {"session_id": cast.session_id, "since": 0})
    assert refused["ok"] is False and refused["error"]["code"] == "invalid"
    assert "since" in refused["error"]["errors"]
    assert member.ok("join", {"session_id": cast.session_id, "since_seq": 0})["seq"] == 0
