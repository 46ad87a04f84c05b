"""Revocation made on one process reaches sockets served by another, through Redis: the
socket is disconnected (or, for a group, evicted) within 2 seconds and hears nothing said
after the revocation."""

from __future__ import annotations

import sys
import time

import pytest
import requests

from tests.conftest import require_redis
from tests.e2e.conftest import start_server  # noqa: F401  (a fixture)
from tests.live.helpers import API, LiveClient

DEADLINE = 2.0


@pytest.fixture
def two(app, cast, start_server):  # noqa: F811
    """Two server processes on one database and one Redis; the private session started."""
    env = {
        "HUB_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "HUB_REDIS_URL": require_redis(),
    }
    command = [sys.executable, "-m", "tests.live.serve"]
    first, second = start_server(command, env=env), start_server(command, env=env)
    started = requests.post(
        f"{first.url}{API}/live-sessions/{cast.session_id}/start",
        headers={"Authorization": f"Bearer {cast.owner.token}"},
    )
    assert started.status_code == 200, started.text
    return first, second


@pytest.fixture
def connected():
    made: list[LiveClient] = []

    def connect(url: str, token: str) -> LiveClient:
        client = LiveClient(url, token)
        made.append(client)
        return client

    yield connect
    for client in made:
        client.disconnect()


def _as(person) -> dict:
    return {"Authorization": f"Bearer {person.token}"}


def _said_after(victim: LiveClient, witness: LiveClient, session_id: int) -> None:
    heard_before = len(victim.visible())
    witness.clear()
    witness.ok("ask", {"session_id": session_id, "text": "Said after the revocation"})
    witness.wait_for_types("question.created")
    assert len(victim.visible()) == heard_before


def test_a_token_revoked_on_one_process_disconnects_its_socket_on_the_other(
    cast, two, connected, factory
):
    first, second = two
    victim = connected(second.url, cast.member.token)
    witness = connected(first.url, cast.other.token)
    for client in (victim, witness):
        client.ok("join", {"session_id": cast.session_id})
    token_id = requests.get(f"{first.url}{API}/auth/tokens", headers=_as(cast.member)).json()[0]
    revoked = requests.delete(
        f"{first.url}{API}/auth/tokens/{token_id['id']}", headers=_as(cast.member)
    )
    assert revoked.status_code == 204
    revoked_at = time.monotonic()
    _said_after(victim, witness, cast.session_id)
    victim.wait_disconnected(timeout=DEADLINE - (time.monotonic() - revoked_at))


def test_an_account_deactivated_on_one_process_is_cut_off_on_the_other(
    cast, two, connected, factory
):
    first, second = two
    admin = factory.person(is_admin=True)
    victim = connected(second.url, cast.member.token)
    witness = connected(first.url, cast.other.token)
    for client in (victim, witness):
        client.ok("join", {"session_id": cast.session_id})
    done = requests.post(
        f"{first.url}{API}/admin/users/{cast.member.user_id}/deactivate", headers=_as(admin)
    )
    assert done.status_code == 200, done.text
    revoked_at = time.monotonic()
    _said_after(victim, witness, cast.session_id)
    victim.wait_disconnected(timeout=DEADLINE - (time.monotonic() - revoked_at))


def test_a_member_banned_on_one_process_leaves_the_room_on_the_other(cast, two, connected):
    first, second = two
    victim = connected(second.url, cast.member.token)
    witness = connected(first.url, cast.other.token)
    for client in (victim, witness):
        client.ok("join", {"session_id": cast.session_id})
    banned = requests.delete(
        f"{first.url}{API}/groups/{cast.group_id}/members/{cast.member.user_id}?ban=true",
        headers=_as(cast.owner),
    )
    assert banned.status_code == 204
    _said_after(victim, witness, cast.session_id)
    assert victim.error("join", {"session_id": cast.session_id}) == "forbidden"
