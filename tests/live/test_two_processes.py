"""Two server processes sharing Redis (and the database): a client on each sees the same
events with the same seq."""

from __future__ import annotations

import threading

import requests

from tests.conftest import require_redis
from tests.e2e.conftest import HUB_SERVER, start_server  # noqa: F401  (a fixture)
from tests.live.helpers import API, LiveClient


def test_clients_on_two_processes_see_the_same_events(app, cast, start_server):  # noqa: F811
    redis_url = require_redis()
    env = {
        "HUB_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "HUB_REDIS_URL": redis_url,
    }
    first, second = start_server(HUB_SERVER, env=env, count=2)

    one = LiveClient(first.url, cast.member.token)
    two = LiveClient(second.url, cast.other.token)
    panelist = LiveClient(second.url, cast.panelist.token)
    try:
        sid = cast.session_id
        for client in (one, two, panelist):
            client.ok("join", {"session_id": sid})
        # Presence counts people on both processes.
        for client in (one, two):
            client.wait_for(
                lambda es: any(e["type"] == "presence" and e["data"]["count"] == 3 for e in es)
            )

        headers = {"Authorization": f"Bearer {cast.owner.token}"}
        started = requests.post(f"{first.url}{API}/live-sessions/{sid}/start", headers=headers)
        assert started.status_code == 200, started.text

        def busy(client, who):
            for n in range(5):
                asked = client.ok("ask", {"session_id": sid, "text": f"{who} asks {n}"})
                client.ok("chat", {"session_id": sid, "text": f"{who} says {n}"})
                panelist.ok("vote", {"session_id": sid, "question_id": asked["question"]["id"]})

        workers = [
            threading.Thread(target=busy, args=(c, w)) for c, w in ((one, "one"), (two, "two"))
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(60)
        last = 1 + 2 * 5 * 3  # session.started, then 10 asks, 10 chats, 10 votes
        for client in (one, two, panelist):
            client.wait_for(
                lambda es: any(e["seq"] == last and e["type"] != "presence" for e in es), timeout=20
            )

        def story(client):
            return sorted((e["seq"], e["type"], repr(e["data"])) for e in client.visible())

        assert [s for s, _, _ in story(one)] == list(range(1, last + 1))
        assert story(one) == story(two) == story(panelist)
    finally:
        for client in (one, two, panelist):
            client.disconnect()
