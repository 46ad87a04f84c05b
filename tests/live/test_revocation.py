"""Access taken away reaches open sockets: each kind of revocation disconnects (or, for a
group, evicts) a socket that was following a private session, within 2 seconds, and
nothing is delivered to it after the revocation."""

from __future__ import annotations

import time

import pytest
import requests

from hub.auth.models import User
from hub.db import utcnow
from tests.factories import PASSWORD, reset_token_in
from tests.groups.helpers import sent_mail
from tests.live.helpers import API, LiveClient, ban, start

DEADLINE = 2.0  # seconds: API.md's promise
SWEEP_PERIOD = 2.0  # seconds between two sweeps (hub.live.events)


def _sign_in(server, person) -> requests.Session:
    """A browser: a requests session holding the hub's cookie, with its CSRF header."""
    browser = requests.Session()
    login = browser.post(
        f"{server.url}{API}/auth/login", json={"email": person.email, "password": PASSWORD}
    )
    assert login.status_code == 200, login.text
    browser.headers["X-CSRF-Token"] = login.json()["csrf_token"]
    return browser


def _cookie_socket(app, server, clients, browser) -> LiveClient:
    cookie = f"hub_session={browser.cookies['hub_session']}"
    origin = app.config["HUB_ALLOWED_ORIGINS"][0]
    return clients(None, headers={"Cookie": cookie, "Origin": origin}, transports=["polling"])


def _email_of(app, person) -> str:
    with app.app_context():
        from hub.auth.models import User
        from hub.extensions import db

        return db.session.get(User, person.user_id).email


class Person:
    """A person's email, for signing in through the real server."""

    def __init__(self, email: str) -> None:
        self.email = email


def _following(client: LiveClient, cast) -> None:
    client.ok("join", {"session_id": cast.session_id})


def _assert_cut_off(victim: LiveClient, witness: LiveClient, cast, revoked_at: float) -> None:
    """Straight after the revocation answered, the witness (still a member) asks: the
    victim does not hear it, and is disconnected within the deadline."""
    heard_before = len(victim.visible())
    witness.clear()
    witness.ok("ask", {"session_id": cast.session_id, "text": "Said after the revocation"})
    witness.wait_for_types("question.created")
    assert len(victim.visible()) == heard_before
    assert all(e["data"].get("text") != "Said after the revocation" for e in victim.events)
    victim.wait_disconnected(timeout=DEADLINE - (time.monotonic() - revoked_at))


@pytest.fixture
def live(cast, server):
    """The private session, started, with a witness following it."""
    start(cast.owner, cast.session_id)
    return cast


def test_a_revoked_token_disconnects_its_sockets(live, server, clients):
    victim = clients(live.member.token)
    witness = clients(live.other.token)
    for client in (victim, witness):
        _following(client, live)
    tokens = live.member.get(f"{API}/auth/tokens").json
    revoked = live.member.delete(f"{API}/auth/tokens/{tokens[0]['id']}")
    assert revoked.status_code == 204
    _assert_cut_off(victim, witness, live, time.monotonic())
    assert live.member.get(f"{API}/me").status_code == 401


def test_signing_out_disconnects_the_sessions_sockets(app, live, server, clients):
    browser = _sign_in(server, Person(_email_of(app, live.member)))
    victim = _cookie_socket(app, server, clients, browser)
    witness = clients(live.other.token)
    for client in (victim, witness):
        _following(client, live)
    assert browser.post(f"{server.url}{API}/auth/logout").status_code == 204
    _assert_cut_off(victim, witness, live, time.monotonic())


def test_ending_a_session_from_another_disconnects_its_sockets(app, live, server, clients):
    email = _email_of(app, live.member)
    laptop, phone = _sign_in(server, Person(email)), _sign_in(server, Person(email))
    victim = _cookie_socket(app, server, clients, phone)
    witness = clients(live.other.token)
    for client in (victim, witness):
        _following(client, live)
    listed = laptop.get(f"{server.url}{API}/auth/sessions").json()
    assert [s["current"] for s in listed].count(True) == 1
    phone_session = next(s for s in listed if not s["current"])
    ended = laptop.delete(f"{server.url}{API}/auth/sessions/{phone_session['id']}")
    assert ended.status_code == 204
    _assert_cut_off(victim, witness, live, time.monotonic())
    assert laptop.get(f"{server.url}{API}/me").status_code == 200


def test_a_password_change_disconnects_the_other_sessions_sockets(app, live, server, clients):
    email = _email_of(app, live.member)
    laptop, phone = _sign_in(server, Person(email)), _sign_in(server, Person(email))
    victim = _cookie_socket(app, server, clients, phone)
    kept = _cookie_socket(app, server, clients, laptop)
    witness = clients(live.other.token)
    for client in (victim, kept, witness):
        _following(client, live)
    changed = laptop.post(
        f"{server.url}{API}/auth/password",
        json={"current_password": PASSWORD, "new_password": "a brand new passphrase 2026"},
    )
    assert changed.status_code == 204, changed.text
    _assert_cut_off(victim, witness, live, time.monotonic())
    # The session that changed the password, and its socket, carry on.
    kept.ok("chat", {"session_id": live.session_id, "text": "still here"})


def test_a_password_reset_disconnects_every_session_socket(app, live, server, clients):
    email = _email_of(app, live.member)
    victim = _cookie_socket(app, server, clients, _sign_in(server, Person(email)))
    witness = clients(live.other.token)
    for client in (victim, witness):
        _following(client, live)
    asked = requests.post(f"{server.url}{API}/auth/password-reset", json={"email": email})
    assert asked.status_code == 202
    token = _reset_token_from_mail(app, email)
    confirmed = requests.post(
        f"{server.url}{API}/auth/password-reset/confirm",
        json={"token": token, "password": "a brand new passphrase 2026"},
    )
    assert confirmed.status_code == 204, confirmed.text
    _assert_cut_off(victim, witness, live, time.monotonic())


def _reset_token_from_mail(app, email: str) -> str:
    message = next(m for m in reversed(sent_mail(app)) if email in m.to)
    return reset_token_in(message.body)


def test_deactivating_an_account_disconnects_all_its_sockets(app, factory, live, server, clients):
    admin = factory.person(is_admin=True)
    email = _email_of(app, live.member)
    by_token = clients(live.member.token)
    by_cookie = _cookie_socket(app, server, clients, _sign_in(server, Person(email)))
    witness = clients(live.other.token)
    for client in (by_token, by_cookie, witness):
        _following(client, live)
    done = admin.post(f"{API}/admin/users/{live.member.user_id}/deactivate")
    assert done.status_code == 200, done.json
    revoked_at = time.monotonic()
    _assert_cut_off(by_token, witness, live, revoked_at)
    assert not [e for e in by_cookie.visible() if e["type"] == "question.created"]
    by_cookie.wait_disconnected(timeout=DEADLINE - (time.monotonic() - revoked_at))


def test_the_sweep_catches_an_account_deactivated_behind_the_services_back(app, live, clients):
    """Belt and braces: a change made straight in the database (an operator's SQL) is
    found by the two-second sweep."""
    victim = clients(live.member.token)
    _following(victim, live)
    with app.app_context():
        from hub.extensions import db

        db.session.get(User, live.member.user_id).deactivated_at = utcnow()
        db.session.commit()
    victim.wait_disconnected(timeout=SWEEP_PERIOD + 1)


@pytest.mark.parametrize("how", ["removed", "banned"])
def test_a_member_taken_out_of_the_group_leaves_its_session(live, server, clients, how):
    victim = clients(live.member.token)
    witness = clients(live.other.token)
    for client in (victim, witness):
        _following(client, live)
    if how == "banned":
        ban(live.owner, live.group_id, live.member)
    else:
        removed = live.owner.delete(f"{API}/groups/{live.group_id}/members/{live.member.user_id}")
        assert removed.status_code == 204
    heard_before = len(victim.visible())
    witness.ok("ask", {"session_id": live.session_id, "text": "Said after the removal"})
    witness.wait_for_types("question.created")
    assert len(victim.visible()) == heard_before
    # Still signed in (their account is fine), but this session is closed to them.
    assert victim.error("join", {"session_id": live.session_id}) == "forbidden"
