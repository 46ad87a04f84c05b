"""Live moderation is audited, and live questions are reported like other content: only
those who may see a question can report it."""

from __future__ import annotations

from tests.live.helpers import API, schedule, start


def group_actions(person, group_id: int) -> list[tuple[str, int, int]]:
    response = person.get(f"{API}/groups/{group_id}/audit?page_size=100")
    assert response.status_code == 200, response.json
    return [(e["action"], e["target_id"], e["actor"]["id"]) for e in response.json]


def report_question(person, question_id: int):
    body = {"target_type": "question", "target_id": question_id, "reason": "Abusive."}
    return person.post(f"{API}/reports", json=body)


def test_each_moderation_of_a_question_writes_one_entry(cast, clients):
    start(cast.owner, cast.session_id)
    member, panelist = clients(cast.member.token), clients(cast.panelist.token)
    for client in (member, panelist):
        client.ok("join", {"session_id": cast.session_id})
    question = member.ok("ask", {"session_id": cast.session_id, "text": "Budget?"})["question"]

    for action in ("pin", "pin", "unpin", "mark_answered", "hide", "approve"):
        panelist.ok(
            "moderate",
            {"session_id": cast.session_id, "question_id": question["id"], "action": action},
        )

    moderation = [a for a in group_actions(cast.owner, cast.group_id) if a[0].startswith("q")]
    expected = ["approved", "hidden", "answered", "unpinned", "pinned"]  # the second pin: no change
    assert moderation == [
        (f"question.{what}", question["id"], cast.panelist.user_id) for what in expected
    ]
    # A member who is not a moderator cannot read the log, nor write to it by trying.
    assert cast.member.get(f"{API}/groups/{cast.group_id}/audit").status_code == 403
    before = group_actions(cast.owner, cast.group_id)
    refused = member.error(
        "moderate", {"session_id": cast.session_id, "question_id": question["id"], "action": "hide"}
    )
    assert refused == "forbidden"
    assert group_actions(cast.owner, cast.group_id) == before


def test_a_pending_question_is_reported_only_by_those_who_may_see_it(cast, clients):
    session = schedule(cast.owner, cast.group_id, moderated=True)
    start(cast.owner, session["id"])
    asker = clients(cast.member.token)
    asker.ok("join", {"session_id": session["id"]})
    question = asker.ok("ask", {"session_id": session["id"], "text": "Pending?"})["question"]

    assert report_question(cast.other, question["id"]).status_code == 404
    assert report_question(cast.outsider, question["id"]).status_code == 404
    made = report_question(cast.moderator, question["id"])
    assert made.status_code == 201 and made.json["group_id"] == cast.group_id
    assert report_question(cast.member, question["id"]).status_code == 201
