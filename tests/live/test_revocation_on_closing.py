"""Closing an account reaches its open sockets: every socket it authenticated (by token
or by browser session) is disconnected within 2 seconds and hears nothing after."""

from __future__ import annotations

import time

from tests.factories import PASSWORD
from tests.live.helpers import API, start
from tests.live.test_revocation import (
    DEADLINE,
    Person,
    _assert_cut_off,
    _cookie_socket,
    _email_of,
    _following,
    _sign_in,
)


def test_closing_an_account_disconnects_all_its_sockets(app, cast, server, clients):
    start(cast.owner, cast.session_id)
    browser = _sign_in(server, Person(_email_of(app, cast.member)))
    by_token = clients(cast.member.token)
    by_cookie = _cookie_socket(app, server, clients, browser)
    witness = clients(cast.other.token)
    for client in (by_token, by_cookie, witness):
        _following(client, cast)

    closed = browser.delete(f"{server.url}{API}/me", json={"password": PASSWORD})
    assert closed.status_code == 204, closed.text
    revoked_at = time.monotonic()

    _assert_cut_off(by_token, witness, cast, revoked_at)
    assert not [e for e in by_cookie.visible() if e["type"] == "question.created"]
    by_cookie.wait_disconnected(timeout=DEADLINE - (time.monotonic() - revoked_at))
