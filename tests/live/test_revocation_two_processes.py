"""Revocation made on one process reaches sockets served by another, through Redis: for
every kind of revocation, the socket is disconnected (or, for a group, evicted) within 2
seconds and hears nothing said after the revocation."""

from __future__ import annotations

import time

import pytest
import requests

from tests.conftest import require_redis
from tests.e2e.conftest import HUB_SERVER, start_server  # noqa: F401  (a fixture)
from tests.factories import PASSWORD
from tests.live.helpers import API, LiveClient

DEADLINE = 2.0


@pytest.fixture
def two(app, cast, start_server):  # noqa: F811
    """Two server processes on one database and one Redis; the private session started."""
    env = {
        "HUB_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "HUB_REDIS_URL": require_redis(),
    }
    first, second = start_server(HUB_SERVER, env=env, count=2)
    started = requests.post(
        f"{first.url}{API}/live-sessions/{cast.session_id}/start",
        headers={"Authorization": f"Bearer {cast.owner.token}"},
    )
    assert started.status_code == 200, started.text
    return first, second


class Connected:
    """Clients made in a test, all disconnected after it."""

    def __init__(self) -> None:
        self.made: list[LiveClient] = []

    def __call__(self, url: str, token: str) -> LiveClient:
        return self.adopt(LiveClient(url, token))

    def adopt(self, client: LiveClient) -> LiveClient:
        self.made.append(client)
        return client


@pytest.fixture
def connected():
    clients = Connected()
    yield clients
    for client in clients.made:
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


@pytest.mark.parametrize("how", ["?ban=true", ""])
def test_a_member_banned_or_removed_on_one_process_leaves_the_room_on_the_other(
    cast, two, connected, how
):
    first, second = two
    victim = connected(second.url, cast.member.token)
    witness = connected(first.url, cast.other.token)
    for client in (victim, witness):
        client.ok("join", {"session_id": cast.session_id})
    taken_out = requests.delete(
        f"{first.url}{API}/groups/{cast.group_id}/members/{cast.member.user_id}{how}",
        headers=_as(cast.owner),
    )
    assert taken_out.status_code == 204
    _said_after(victim, witness, cast.session_id)
    assert victim.error("join", {"session_id": cast.session_id}) == "forbidden"


def _browser(server, email: str) -> requests.Session:
    browser = requests.Session()
    login = browser.post(
        f"{server.url}{API}/auth/login", json={"email": email, "password": PASSWORD}
    )
    assert login.status_code == 200, login.text
    browser.headers["X-CSRF-Token"] = login.json()["csrf_token"]
    return browser


def _cookie_socket(server, browser: requests.Session, connected) -> LiveClient:
    client = LiveClient(
        server.url,
        connect=False,
    )
    client.connect(
        headers={"Cookie": f"hub_session={browser.cookies['hub_session']}", "Origin": server.url},
        transports=["polling"],
    )
    connected.adopt(client)
    return client


def _email(app, person) -> str:
    with app.app_context():
        from hub.auth.models import User
        from hub.extensions import db

        return db.session.get(User, person.user_id).email


# Each revokes, through the first process, what authenticated a cookie socket on the second.
SESSION_REVOCATIONS = {
    "signed out": lambda first, browser, other: browser.post(f"{first.url}{API}/auth/logout"),
    "session ended elsewhere": lambda first, browser, other: other.delete(
        f"{first.url}{API}/auth/sessions/"
        + str(
            next(
                s["id"]
                for s in other.get(f"{first.url}{API}/auth/sessions").json()
                if not s["current"]
            )
        )
    ),
    "password changed elsewhere": lambda first, browser, other: other.post(
        f"{first.url}{API}/auth/password",
        json={"current_password": PASSWORD, "new_password": "a brand new passphrase 2026"},
    ),
    "account closed": lambda first, browser, other: other.delete(
        f"{first.url}{API}/me", json={"password": PASSWORD}
    ),
}


@pytest.mark.parametrize("how", list(SESSION_REVOCATIONS))
def test_a_session_revoked_on_one_process_cuts_off_its_socket_on_the_other(
    app, cast, two, connected, how
):
    first, second = two
    email = _email(app, cast.member)
    browser, other = _browser(first, email), _browser(first, email)
    victim = _cookie_socket(second, browser, connected)
    witness = connected(first.url, cast.other.token)
    for client in (victim, witness):
        client.ok("join", {"session_id": cast.session_id})
    done = SESSION_REVOCATIONS[how](first, browser, other)
    assert done.status_code == 204, done.text
    revoked_at = time.monotonic()
    _said_after(victim, witness, cast.session_id)
    victim.wait_disconnected(timeout=DEADLINE - (time.monotonic() - revoked_at))
