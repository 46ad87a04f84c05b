"""Who may connect and who hears anything: tokens, cookies and Origins; non-members,
banned and removed members, unauthenticated sockets."""

from __future__ import annotations

import requests

from hub.live.events import run_sweep
from tests.factories import PASSWORD
from tests.live.helpers import API, LiveClient, ban, end, start

EVIL = "https://evil.example"


def _cookie(server, person) -> str:
    response = requests.post(
        f"{server.url}{API}/auth/login", json={"email": person.email, "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    return f"hub_session={response.cookies['hub_session']}"


def _refused(server, **kwargs) -> None:
    client = LiveClient(server.url, connect=False)
    assert client.refused(**kwargs)
    assert client.events == []


def test_unauthenticated_and_bad_tokens_are_refused(server):
    _refused(server)
    _refused(server, auth={"token": "not-a-token"})
    _refused(server, auth={"token": ""})
    _refused(server, headers={"Authorization": "Bearer nope"})


def test_a_deactivated_account_cannot_connect(app, server, clients, factory):
    person = factory.person()
    with app.app_context():
        from hub.auth.models import User
        from hub.db import utcnow
        from hub.extensions import db

        user = db.session.get(User, person.user_id)
        db.session.expunge(user)
    cookie = _cookie(server, user)
    allowed = app.config["HUB_ALLOWED_ORIGINS"][0]
    clients(person.token).disconnect()
    clients(None, headers={"Cookie": cookie, "Origin": allowed}, transports=["polling"])

    with app.app_context():
        db.session.get(User, person.user_id).deactivated_at = utcnow()
        db.session.commit()
    _refused(server, auth={"token": person.token})
    _refused(server, headers={"Cookie": cookie, "Origin": allowed}, transports=["polling"])


def test_tokens_are_not_origin_checked(cast, server, clients):
    client = clients(cast.member.token, headers={"Origin": EVIL}, transports=["polling"])
    assert client.ok("join", {"session_id": cast.session_id})["seq"] == 0
    header = clients(None, headers={"Authorization": f"Bearer {cast.member.token}"})
    header.ok("join", {"session_id": cast.session_id})


def test_cookies_only_from_allowed_origins(app, cast, server, clients, factory):
    with app.app_context():
        from hub.auth.models import User
        from hub.extensions import db

        member = db.session.get(User, cast.member.user_id)
        db.session.expunge(member)
    cookie = _cookie(server, member)
    allowed = app.config["HUB_ALLOWED_ORIGINS"][0]

    client = clients(None, headers={"Cookie": cookie, "Origin": allowed}, transports=["polling"])
    assert client.ok("join", {"session_id": cast.session_id})["session"]["id"] == cast.session_id
    # A browser page on the same origin that leaves Origin out says so in Sec-Fetch-Site.
    same = clients(
        None, headers={"Cookie": cookie, "Sec-Fetch-Site": "same-origin"}, transports=["polling"]
    )
    same.ok("join", {"session_id": cast.session_id})

    _refused(server, headers={"Cookie": cookie, "Origin": EVIL}, transports=["polling"])
    _refused(server, headers={"Cookie": cookie}, transports=["polling"])
    _refused(
        server, headers={"Cookie": cookie, "Sec-Fetch-Site": "cross-site"}, transports=["polling"]
    )


def _presence_of(count: int):
    def arrived(events: list[dict]) -> bool:
        return any(e["type"] == "presence" and e["data"]["count"] == count for e in events)

    return arrived


def test_outsiders_and_banned_members_get_nothing(cast, server, clients):
    sid = cast.session_id
    member = clients(cast.member.token)
    member.ok("join", {"session_id": sid})
    outsider = clients(cast.outsider.token)
    assert outsider.error("join", {"session_id": sid}) == "forbidden"
    watcher = clients(cast.other.token)
    watcher.ok("join", {"session_id": sid})
    member.wait_for(_presence_of(2))

    # The member is banned while connected: the next event is refused, and even without
    # one the sweep takes them out of the room.
    ban(cast.owner, cast.group_id, cast.other)
    start(cast.owner, sid)
    member.wait_for_types("session.started")
    asked = member.ok("ask", {"session_id": sid, "text": "Still there?"})["question"]
    member.wait_for_types("question.created")
    member.clear()
    run_sweep(server.app)
    # The sweep took the watcher out: the room now counts one, and only the member hears.
    member.wait_for(_presence_of(1))
    # Each refusal is a round trip on the watcher's own connection: whatever was sent to
    # it before has arrived by the answer.
    assert watcher.error("join", {"session_id": sid}) == "forbidden"
    watcher.clear()
    member.ok("chat", {"session_id": sid, "text": "after the sweep"})
    member.wait_for_types("chat.message")
    assert watcher.error("vote", {"session_id": sid, "question_id": asked["id"]}) == "forbidden"
    assert watcher.error("join", {"session_id": sid}) == "forbidden"
    assert watcher.error("join", {"session_id": sid, "since_seq": 0}) == "forbidden"
    assert watcher.events == []
    # The outsider heard nothing at all: no events, no presence, no questions.
    assert outsider.events == []
    assert cast.outsider.get(f"{API}/live-sessions/{sid}").status_code == 403
    assert cast.outsider.get(f"{API}/live-sessions/{sid}/questions").status_code == 403
    assert cast.other.get(f"{API}/live-sessions/{sid}/questions").status_code == 403


def test_a_banned_member_is_refused_at_the_next_event_and_leaves_the_room(cast, clients):
    sid = cast.session_id
    start(cast.owner, sid)
    watcher = clients(cast.other.token)
    watcher.ok("join", {"session_id": sid})
    ban(cast.owner, cast.group_id, cast.other)
    assert watcher.error("chat", {"session_id": sid, "text": "hello?"}) == "forbidden"
    watcher.clear()
    member = clients(cast.member.token)
    member.ok("ask", {"session_id": sid, "text": "Anyone?"})
    member.ok("join", {"session_id": sid})
    member.wait_for(_presence_of(1))
    # A round trip on the watcher's own connection: anything sent to it came before.
    assert watcher.error("chat", {"session_id": sid, "text": "still here?"}) == "forbidden"
    assert watcher.events == []


def test_hidden_groups_answer_not_found_to_outsiders(factory, clients, cast):
    from tests.live.helpers import make_group, schedule

    group_id = make_group(cast.owner, "hidden")
    session = schedule(cast.owner, group_id)
    outsider = clients(cast.outsider.token)
    assert outsider.error("join", {"session_id": session["id"]}) == "not_found"
    assert cast.outsider.get(f"{API}/live-sessions/{session['id']}").status_code == 404


def test_open_groups_let_any_signed_in_person_watch_but_only_members_take_part(cast, clients):
    from tests.live.helpers import make_group, schedule

    group_id = make_group(cast.owner, "open")
    session = schedule(cast.owner, group_id)
    start(cast.owner, session["id"])
    visitor = clients(cast.outsider.token)
    assert visitor.ok("join", {"session_id": session["id"]})["session"]["status"] == "live"
    assert visitor.error("ask", {"session_id": session["id"], "text": "Hi"}) == "forbidden"
    end(cast.owner, session["id"])
