"""A client that drops and rejoins with since_seq misses nothing and sees nothing twice."""

from __future__ import annotations

from tests.live.helpers import LiveClient, seqs, start


def test_rejoining_with_since_seq_replays_exactly_what_was_missed(cast, server, clients):
    sid = cast.session_id
    start(cast.owner, sid)
    dropping = clients(cast.other.token)
    joined = dropping.ok("join", {"session_id": sid})
    last_seen = joined["seq"]
    assert last_seen == 1

    dropping.disconnect()
    member, panelist = clients(cast.member.token), clients(cast.panelist.token)
    asked = [
        member.ok("ask", {"session_id": sid, "text": f"Question {n}"})["question"] for n in range(5)
    ]
    for question in asked:
        panelist.ok("vote", {"session_id": sid, "question_id": question["id"]})
        panelist.ok(
            "answer", {"session_id": sid, "question_id": question["id"], "text": "Answered."}
        )
    for n in range(35):
        member.ok("chat", {"session_id": sid, "text": f"message {n}"})
    # 5 questions + 5 votes + 5 answers + 35 messages = 50 events since the drop.

    back = LiveClient(server.url, cast.other.token)
    try:
        rejoined = back.ok("join", {"session_id": sid, "since_seq": last_seen})
        assert rejoined["seq"] == last_seen + 50
        replayed = back.visible()  # arrived before the join's acknowledgement
        assert seqs(replayed) == list(range(last_seen + 1, last_seen + 51))
        assert [e["type"] for e in replayed[:3]] == ["question.created"] * 3
        assert replayed[-1]["data"]["text"] == "message 34"
        assert all(e["session_id"] == sid for e in replayed)

        member.ok("chat", {"session_id": sid, "text": "live again"})
        events = back.wait_for(
            lambda es: any(
                e["type"] == "chat.message" and e["data"]["text"] == "live again" for e in es
            )
        )
        visible = [e for e in events if e["type"] != "presence"]
        assert seqs(visible) == list(range(last_seen + 1, last_seen + 52))
        assert len(rejoined["questions"]) == 5
    finally:
        back.disconnect()


def test_since_seq_zero_replays_the_whole_session_and_a_future_seq_nothing(cast, clients):
    sid = cast.session_id
    start(cast.owner, sid)
    member = clients(cast.member.token)
    member.ok("chat", {"session_id": sid, "text": "one"})
    late = clients(cast.other.token)
    late.ok("join", {"session_id": sid, "since_seq": 0})
    assert [e["type"] for e in late.visible()] == ["session.started", "chat.message"]
    again = clients(cast.other.token)
    assert again.ok("join", {"session_id": sid, "since_seq": 99})["seq"] == 2
    assert again.visible() == []
