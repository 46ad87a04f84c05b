"""Redis stops and starts again under a two-process deployment: signing in, asking and
reading keep working while it is away (limits fall back to memory, events still reach the
process's own clients), and once it is back every client catches up by replay and ends
with every event, in order."""

from __future__ import annotations

import shutil
import subprocess
import time

import pytest
import redis
import requests

from tests.conftest import _service_missing
from tests.e2e.conftest import HUB_SERVER, free_port, start_server  # noqa: F401  (a fixture)
from tests.factories import PASSWORD
from tests.live.helpers import API, LiveClient


class OwnRedis:
    """A redis-server of this test's own, on a free port, that the test stops and starts."""

    def __init__(self, directory) -> None:
        self.binary = shutil.which("redis-server")
        if self.binary is None:
            _service_missing("redis-server", "install Debian's redis-server package.")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.directory = directory
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                redis.Redis.from_url(self.url, socket_connect_timeout=0.2).ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise AssertionError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def own_redis(tmp_path):
    server = OwnRedis(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.mark.parametrize("database", ["sqlite"])
def test_the_hub_keeps_working_while_redis_is_away_and_catches_up(
    app,
    cast,
    own_redis,
    start_server,  # noqa: F811
):
    env = {
        "HUB_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "HUB_REDIS_URL": own_redis.url,
    }
    first, second = start_server(HUB_SERVER, env=env, count=2)
    one, two = LiveClient(first.url, cast.member.token), LiveClient(second.url, cast.other.token)
    sid = cast.session_id
    try:
        for client in (one, two):
            client.ok("join", {"session_id": sid})
        owner = {"Authorization": f"Bearer {cast.owner.token}"}
        assert requests.post(f"{first.url}{API}/live-sessions/{sid}/start", headers=owner).ok
        one.ok("ask", {"session_id": sid, "text": "Before Redis went away"})
        two.wait_for_types("session.started", "question.created")

        own_redis.stop()
        with cast.owner.app.app_context():
            from hub.auth.models import User
            from hub.extensions import db

            email = db.session.get(User, cast.member.user_id).email
        signed_in = requests.post(
            f"{first.url}{API}/auth/login", json={"email": email, "password": PASSWORD}
        )
        assert signed_in.status_code == 200, signed_in.text
        read = requests.get(f"{second.url}{API}/live-sessions/{sid}", headers=owner)
        assert read.status_code == 200, read.text
        one.ok("ask", {"session_id": sid, "text": "While Redis was away, on the first"})
        two.ok("ask", {"session_id": sid, "text": "While Redis was away, on the second"})
        one.wait_for(lambda es: any("on the first" in str(e["data"]) for e in es))

        own_redis.start()
        # Each process's subscriber reconnects by itself (with backoff): until a chat from
        # one side reaches the other, keep saying hello.
        deadline = time.monotonic() + 45
        while time.monotonic() < deadline:
            said = one.ok("chat", {"session_id": sid, "text": "Anyone there?"})["message"]["id"]
            try:
                two.wait_for(
                    lambda es, said=said: any(
                        e["type"] == "chat.message" and e["data"]["id"] == said for e in es
                    ),
                    timeout=1,
                )
                break
            except AssertionError:
                continue
        else:
            raise AssertionError("the processes never heard each other again")

        last = max(e["seq"] for e in one.visible() + two.visible())
        for client in (one, two):  # what a client does on a gap: rejoin since what it holds
            client.ok("join", {"session_id": sid, "since_seq": _contiguous_of(client.visible())})
            client.wait_for(lambda es: _contiguous_of(es) >= last, timeout=10)
            seqs = sorted({e["seq"] for e in client.visible()})
            assert seqs == list(range(1, last + 1))
    finally:
        for client in (one, two):
            client.disconnect()


def _contiguous_of(events: list[dict]) -> int:
    """The last seq held with none missing before it."""
    have = {e["seq"] for e in events if e["type"] != "presence"}
    last = 0
    while last + 1 in have:
        last += 1
    return last
