"""The REST side of live sessions: schedule, list, read, start, end, questions, transcript."""

from __future__ import annotations

import re

from tests.groups.helpers import notification_kinds
from tests.live.helpers import API, end, schedule, start


def test_owners_and_moderators_schedule_sessions(cast):
    session = cast.session
    assert session["status"] == "scheduled" and session["seq"] is None
    assert session["starts_at"] == "2026-11-22T14:00:00Z"
    assert session["panelists"] == [{"id": cast.panelist.user_id, "name": "Pat Panelist"}]
    assert session["transcript_thread_id"] is None
    by_moderator = schedule(cast.moderator, cast.group_id, title="Second")
    assert by_moderator["created_by"]["id"] == cast.moderator.user_id

    url = f"{API}/groups/{cast.group_id}/live-sessions"
    body = {"title": "T", "starts_at": "2026-11-22T14:00:00Z"}
    assert cast.member.post(url, json=body).status_code == 403
    assert cast.outsider.post(url, json=body).status_code == 403
    assert cast.owner.post(url, json={"title": "T"}).status_code == 422
    late = {**body, "ends_at": "2026-11-22T13:00:00Z"}
    assert cast.owner.post(url, json=late).status_code == 422
    nobody = cast.owner.post(url, json={**body, "panelist_ids": [999999]})
    assert nobody.status_code == 422 and "panelist_ids" in nobody.json["errors"]["json"]
    assert cast.owner.post(f"{API}/groups/999999/live-sessions", json=body).status_code == 404


def test_listing_and_reading(cast):
    listed = cast.member.get(f"{API}/groups/{cast.group_id}/live-sessions")
    assert listed.status_code == 200
    assert [s["id"] for s in listed.json] == [cast.session_id]
    assert "total" in listed.headers["X-Pagination"]
    assert cast.outsider.get(f"{API}/groups/{cast.group_id}/live-sessions").status_code == 403
    one = cast.member.get(f"{API}/live-sessions/{cast.session_id}").json
    assert one["status"] == "scheduled" and one["questions"] == []
    assert cast.member.get(f"{API}/live-sessions/999999").status_code == 404


def test_start_and_end_by_moderators_and_panelists(cast):
    sid = cast.session_id
    assert cast.member.post(f"{API}/live-sessions/{sid}/start").status_code == 403
    assert cast.panelist.post(f"{API}/live-sessions/{sid}/end").status_code == 409
    started = start(cast.panelist, sid)
    assert started["status"] == "live" and started["seq"] == 1 and started["questions"] == []
    assert cast.owner.post(f"{API}/live-sessions/{sid}/start").status_code == 409
    assert "live_session_started" in notification_kinds(cast.member)
    assert "live_session_started" not in notification_kinds(cast.panelist)  # not a member
    assert "live_session_started" not in notification_kinds(cast.outsider)
    assert cast.member.post(f"{API}/live-sessions/{sid}/end").status_code == 403
    ended = end(cast.moderator, sid)
    assert ended["status"] == "ended" and ended["seq"] == 2
    assert cast.owner.post(f"{API}/live-sessions/{sid}/end").status_code == 409


def test_questions_over_rest(cast):
    sid = cast.session_id
    url = f"{API}/live-sessions/{sid}/questions"
    assert cast.member.post(url, json={"text": "Early"}).status_code == 409
    start(cast.owner, sid)
    first = cast.member.post(url, json={"text": "First question"})
    assert first.status_code == 201 and first.json["status"] == "visible"
    second = cast.other.post(url, json={"text": "Second question", "anonymous": True})
    assert second.status_code == 201 and second.json["author"] is None
    assert cast.member.post(url, json={"text": "x" * 1001}).status_code == 422
    assert cast.member.post(url, json={}).status_code == 422
    assert cast.outsider.post(url, json={"text": "Let me in"}).status_code == 403
    newest = cast.member.get(f"{url}?sort=new").json
    assert [q["text"] for q in newest] == ["Second question", "First question"]
    assert cast.member.get(f"{url}?sort=sideways").status_code == 422
    detail = cast.member.get(f"{API}/live-sessions/{sid}").json
    assert detail["seq"] == 3 and len(detail["questions"]) == 2
    listed = cast.member.get(f"{API}/groups/{cast.group_id}/live-sessions").json
    assert len(listed[0]["questions"]) == 2


def test_the_transcript_becomes_a_searchable_forum_thread(cast, clients):
    from tests.live.helpers import schedule

    session = schedule(
        cast.owner,
        cast.group_id,
        title="Flood resilience hotseat",
        panelist_ids=[cast.panelist.user_id],
        transcript_includes_chat=True,
    )
    sid = session["id"]
    start(cast.owner, sid)
    member, panelist = clients(cast.member.token), clients(cast.panelist.token)
    named = member.ok("ask", {"session_id": sid, "text": "How did you map the floodplain?"})
    secret = clients(cast.other.token).ok(
        "ask", {"session_id": sid, "text": "Who pays for sandbags @Mel Member?", "anonymous": True}
    )
    hidden = member.ok("ask", {"session_id": sid, "text": "Off-topic rant"})
    for question in (named, secret):
        panelist.ok("vote", {"session_id": sid, "question_id": question["question"]["id"]})
    panelist.ok(
        "answer",
        {
            "session_id": sid,
            "question_id": named["question"]["id"],
            "text": "With the Environment Agency's LiDAR data.",
        },
    )
    panelist.ok(
        "moderate", {"session_id": sid, "question_id": hidden["question"]["id"], "action": "hide"}
    )
    member.ok("chat", {"session_id": sid, "text": "Thanks all, very useful"})
    ended = end(cast.owner, sid)

    thread_id = ended["transcript_thread_id"]
    assert thread_id is not None
    thread = cast.member.get(f"{API}/threads/{thread_id}")
    assert thread.status_code == 200, thread.json
    assert thread.json["title"] == "Live session transcript: Flood resilience hotseat"
    posts = cast.member.get(f"{API}/threads/{thread_id}/posts").json
    body = posts[0]["body"]
    assert "How did you map the floodplain?" in body and "Mel Member" in body
    assert "LiDAR" in body and "Pat Panelist" in body
    assert "Who pays for sandbags" in body and "Anonymous" in body
    assert "Max Member" not in body  # the anonymous asker stays anonymous
    assert "Off-topic rant" not in body
    assert "Thanks all, very useful" in body
    assert "1 vote)" in body and "1 votes" not in body
    assert "## Questions (2, 2 votes)" in body
    assert re.search(
        r"Live session held on \d{1,2} \w+ \d{4}, \d\d:\d\d to \d\d:\d\d (GMT|BST) \(UK time\)\.",
        body,
    ), body
    # Archiving a mention does not notify the person mentioned again.
    kinds = notification_kinds(cast.member)
    assert "mention" not in kinds
    in_forum = cast.member.get(f"{API}/groups/{cast.group_id}/threads").json
    assert thread_id in [t["id"] for t in in_forum]

    found = cast.member.get(f"{API}/search", query_string={"q": "floodplain", "type": "thread"})
    assert found.status_code == 200, found.json
    assert thread_id in [item["id"] for item in found.json["items"]]
    as_session = cast.member.get(
        f"{API}/search", query_string={"q": "floodplain", "type": "session"}
    ).json
    assert sid in [item["id"] for item in as_session["items"]]
    outsider = cast.outsider.get(f"{API}/search", query_string={"q": "floodplain"}).json
    assert outsider["total"] == 0


def test_without_chat_the_transcript_keeps_only_questions(cast, clients):
    sid = cast.session_id
    start(cast.owner, sid)
    member = clients(cast.member.token)
    member.ok("chat", {"session_id": sid, "text": "private banter"})
    ended = end(cast.owner, sid)
    posts = cast.member.get(f"{API}/threads/{ended['transcript_thread_id']}/posts").json
    assert "private banter" not in posts[0]["body"]
    assert "No questions were asked." in posts[0]["body"]
