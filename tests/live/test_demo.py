"""The demo data: one ended session with its transcript, and one scheduled session."""

from __future__ import annotations

from hub.extensions import db
from tests.live.helpers import API, add_member, make_group


def test_seed_live_demo(app, factory):
    from hub.live.demo import seed_live_demo

    owner, panelist, member = factory.person(), factory.person(), factory.person()
    group_id = make_group(owner, "open")
    for person in (panelist, member):
        add_member(owner, group_id, person)
    with app.app_context():
        ended, scheduled = seed_live_demo()
        ended_id, scheduled_id = ended.id, scheduled.id
        db.session.remove()

    first = member.get(f"{API}/live-sessions/{ended_id}").json
    assert first["status"] == "ended" and first["transcript_thread_id"]
    assert len(first["questions"]) == 4 and first["seq"] > 10
    assert any(q["anonymous"] and q["author"] is None for q in first["questions"])
    posts = member.get(f"{API}/threads/{first['transcript_thread_id']}/posts").json
    assert "peer challenge" in posts[0]["body"] and "## Chat" in posts[0]["body"]
    second = member.get(f"{API}/live-sessions/{scheduled_id}").json
    assert second["status"] == "scheduled" and second["moderated"] is True
