"""Browser sessions kept on the server, passwords (change, reset, rules), failed sign-in
limits, and a site admin deactivating and reactivating accounts."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import requests

from hub.auth.models import PasswordReset, User
from hub.db import utcnow
from hub.extensions import db
from tests.factories import PASSWORD, reset_token_in
from tests.groups.helpers import sent_mail
from tests.live.helpers import ThreadedServer

API = "/api/v1"
NEW_PASSWORD = "a brand new passphrase 2026"


@pytest.fixture
def server(app):
    running = ThreadedServer(app)
    yield running
    running.stop()


def sign_in(server, email: str, password: str = PASSWORD) -> requests.Session:
    """A browser signed in through the real server, sending its CSRF header."""
    browser = requests.Session()
    login = browser.post(
        f"{server.url}{API}/auth/login", json={"email": email, "password": password}
    )
    assert login.status_code == 200, login.text
    browser.headers["X-CSRF-Token"] = login.json()["csrf_token"]
    return browser


def replay(server, browser: requests.Session, method: str, path: str, **kwargs):
    """The same cookie and CSRF token, sent again from elsewhere (an attacker's copy)."""
    copy = requests.Session()
    copy.cookies.update(browser.cookies)
    copy.headers.update(browser.headers)
    return copy.request(method, f"{server.url}{API}{path}", **kwargs)


@pytest.fixture
def person(factory):
    return factory.user(name="Ada Lovelace")


# --- Sessions ----------------------------------------------------------------------------


def test_a_cookie_replayed_after_sign_out_answers_401(server, factory, person):
    owner = factory.client_for(person)
    group = owner.post(
        f"{API}/groups",
        json={"name": "Private circle", "description": "x", "visibility": "private"},
    ).json
    browser = sign_in(server, person.email)
    assert replay(server, browser, "GET", f"/groups/{group['id']}/threads").status_code == 200
    assert browser.post(f"{server.url}{API}/auth/logout").status_code == 204
    assert "hub_session" not in browser.cookies  # the browser was told to forget it

    assert replay(server, browser, "GET", "/me").status_code == 401
    assert replay(server, browser, "GET", f"/groups/{group['id']}/threads").status_code == 401
    posted = replay(
        server, browser, "POST", f"/groups/{group['id']}/threads", json={"title": "t", "body": "b"}
    )
    assert posted.status_code == 401


def test_the_cookie_holds_only_a_random_key_that_changes_at_each_sign_in(server, person):
    first = sign_in(server, person.email)
    key = first.cookies["hub_session"]
    # A bare random key (token_urlsafe), not a signed payload naming anyone.
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", key), key
    login = first.post(
        f"{server.url}{API}/auth/login", json={"email": person.email, "password": PASSWORD}
    )
    assert login.status_code == 200
    assert first.cookies["hub_session"] != key
    stale = requests.get(f"{server.url}{API}/me", cookies={"hub_session": key})
    assert stale.status_code == 401  # the session it named ended at the new sign-in


def test_sessions_are_listed_and_ended(server, person):
    laptop = sign_in(server, person.email)
    phone = sign_in(server, person.email)
    phone.headers["User-Agent"] = "Phone browser"
    assert phone.get(f"{server.url}{API}/me").status_code == 200
    listed = laptop.get(f"{server.url}{API}/auth/sessions")
    assert listed.status_code == 200
    sessions = listed.json()
    assert len(sessions) == 2
    assert set(sessions[0]) == {"id", "created_at", "last_seen_at", "user_agent", "current"}
    assert sorted(s["current"] for s in sessions) == [False, True]
    other = next(s for s in sessions if not s["current"])

    assert laptop.delete(f"{server.url}{API}/auth/sessions/{other['id']}").status_code == 204
    assert phone.get(f"{server.url}{API}/me").status_code == 401
    assert laptop.get(f"{server.url}{API}/me").status_code == 200
    assert laptop.delete(f"{server.url}{API}/auth/sessions/{other['id']}").status_code == 404


def test_no_one_sees_or_ends_anyone_elses_sessions(server, factory, person):
    mine = sign_in(server, person.email)
    stranger = factory.person()
    my_sessions = mine.get(f"{server.url}{API}/auth/sessions").json()
    theirs = stranger.get(f"{API}/auth/sessions").json
    assert {s["id"] for s in theirs}.isdisjoint(s["id"] for s in my_sessions)
    assert stranger.delete(f"{API}/auth/sessions/{my_sessions[0]['id']}").status_code == 404
    assert mine.get(f"{server.url}{API}/me").status_code == 200


def test_unsafe_cookie_requests_still_need_the_csrf_token(server, person):
    browser = sign_in(server, person.email)
    del browser.headers["X-CSRF-Token"]
    refused = browser.patch(f"{server.url}{API}/me", json={"bio": "hello"})
    assert refused.status_code == 403
    token = browser.get(f"{server.url}{API}/auth/csrf").json()["csrf_token"]
    done = browser.patch(
        f"{server.url}{API}/me", json={"bio": "hello"}, headers={"X-CSRF-Token": token}
    )
    assert done.status_code == 200


# --- Changing a password -------------------------------------------------------------------


def test_changing_the_password_ends_the_other_sessions_but_not_tokens(server, factory, person):
    laptop = sign_in(server, person.email)
    phone = sign_in(server, person.email)
    program = factory.client_for(person)
    changed = laptop.post(
        f"{server.url}{API}/auth/password",
        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
    )
    assert changed.status_code == 204, changed.text
    assert replay(server, phone, "GET", "/me").status_code == 401
    assert laptop.get(f"{server.url}{API}/me").status_code == 200
    assert program.get(f"{API}/me").status_code == 200
    assert (
        requests.post(
            f"{server.url}{API}/auth/login", json={"email": person.email, "password": PASSWORD}
        ).status_code
        == 401
    )
    sign_in(server, person.email, NEW_PASSWORD)


def test_a_password_change_needs_the_current_password_and_a_good_new_one(client, factory, person):
    program = factory.client_for(person)
    wrong = program.post(
        f"{API}/auth/password",
        json={"current_password": "not it at all", "new_password": NEW_PASSWORD},
    )
    assert wrong.status_code == 422
    assert "current_password" in wrong.json["errors"]["json"]
    for weak in (person.email, "Ada Lovelace rules", "password123"):
        refused = program.post(
            f"{API}/auth/password", json={"current_password": PASSWORD, "new_password": weak}
        )
        assert refused.status_code == 422, weak
        assert "new_password" in refused.json["errors"]["json"]
    signed_in = client.post(f"{API}/auth/login", json={"email": person.email, "password": PASSWORD})
    assert signed_in.status_code == 200  # nothing changed


def test_a_password_may_not_be_the_email_address_or_the_name(client):
    for email, password, name in (
        ("ada.byron@camden.gov.uk", "ada.byron@camden.gov.uk", "Ada Byron"),
        ("ada.byron@camden.gov.uk", "ADA.BYRON@CAMDEN.GOV.UK", "Ada Byron"),
        ("jo@camden.gov.uk", "jo@camden.gov.uk", "Jo Li"),  # a short address, whole
        ("ada.byron@camden.gov.uk", "Augusta Ada King", "Augusta Ada King"),
    ):
        refused = client.post(
            f"{API}/auth/register",
            json={
                "email": email,
                "password": password,
                "name": name,
                "role": "officer",
            },
        )
        assert refused.status_code == 422, password
        assert "password" in refused.json["errors"]["json"]


# --- Resetting a password ------------------------------------------------------------------


def _request_reset(server, email: str):
    return requests.post(f"{server.url}{API}/auth/password-reset", json={"email": email})


def _confirm(server, token: str, password: str = NEW_PASSWORD):
    return requests.post(
        f"{server.url}{API}/auth/password-reset/confirm",
        json={"token": token, "password": password},
    )


def test_a_reset_answers_the_same_whether_or_not_the_address_has_an_account(app, server, person):
    known = _request_reset(server, person.email)
    unknown = _request_reset(server, "nobody@nowhere.gov.uk")
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    assert [m.to for m in sent_mail(app)] == [[person.email]]


def test_a_reset_link_sets_the_password_once_and_ends_every_session(app, server, factory, person):
    browser = sign_in(server, person.email)
    program = factory.client_for(person)
    assert _request_reset(server, person.email).status_code == 202
    token = reset_token_in(sent_mail(app)[-1].body)
    with app.app_context():  # only its hash is stored
        assert db.session.query(PasswordReset).filter_by(token_hash=token).count() == 0

    assert _confirm(server, token, person.email).status_code == 422  # the rules still hold
    assert _confirm(server, token).status_code == 204
    assert replay(server, browser, "GET", "/me").status_code == 401
    assert program.get(f"{API}/me").status_code == 200  # tokens are listed and revocable
    sign_in(server, person.email, NEW_PASSWORD)
    used = _confirm(server, token, "yet another passphrase 99")
    assert used.status_code == 422
    assert "new one" in used.json()["message"]


def test_a_reset_link_expires_after_an_hour(app, server, person):
    _request_reset(server, person.email)
    token = reset_token_in(sent_mail(app)[-1].body)
    with app.app_context():
        reset = db.session.query(PasswordReset).filter_by(user_id=person.id).one()
        reset.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert _confirm(server, token).status_code == 422
    assert _confirm(server, "made-up-token-" + "x" * 30).status_code == 422
    sign_in(server, person.email)  # the old password still works


# --- Failed sign-ins ---------------------------------------------------------------------


def _login(client, email: str, password: str, address: str):
    return client.post(
        f"{API}/auth/login",
        json={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def test_someone_elses_guesses_never_lock_the_owner_out(client, person):
    answers = [_login(client, person.email, f"guess {n}", "127.0.0.2") for n in range(12)]
    assert answers[0].status_code == 401
    assert answers[-1].status_code == 429
    assert "Retry-After" in answers[-1].headers
    assert _login(client, person.email, PASSWORD, "127.0.0.3").status_code == 200


def test_an_address_that_guesses_is_limited_across_accounts(client, factory, person):
    other = factory.user()
    for n in range(10):
        _login(client, f"someone{n}@council.gov.uk", "guess", "127.0.0.4")
    assert _login(client, other.email, PASSWORD, "127.0.0.4").status_code == 429
    assert _login(client, other.email, PASSWORD, "127.0.0.5").status_code == 200


# --- Site admins deactivate and reactivate --------------------------------------------------


def test_an_admin_deactivates_and_reactivates_an_account(app, server, factory, person):
    admin = factory.person(is_admin=True)
    browser = sign_in(server, person.email)
    program = factory.client_for(person)
    done = requests.post(
        f"{server.url}{API}/admin/users/{person.id}/deactivate",
        headers={"Authorization": f"Bearer {admin.token}"},
    )
    assert done.status_code == 200, done.text
    assert done.json()["deactivated_at"] is not None
    assert browser.get(f"{server.url}{API}/me").status_code == 401
    assert program.get(f"{API}/me").status_code == 401
    refused = requests.post(
        f"{server.url}{API}/auth/login", json={"email": person.email, "password": PASSWORD}
    )
    assert refused.status_code == 401

    back = requests.post(
        f"{server.url}{API}/admin/users/{person.id}/reactivate",
        headers={"Authorization": f"Bearer {admin.token}"},
    )
    assert back.status_code == 200
    assert back.json()["deactivated_at"] is None
    assert browser.get(f"{server.url}{API}/me").status_code == 401  # that session stays ended
    sign_in(server, person.email)


def test_only_site_admins_deactivate_and_never_themselves(factory, person):
    admin = factory.person(is_admin=True)
    member = factory.person()
    for verb in ("deactivate", "reactivate"):
        assert member.post(f"{API}/admin/users/{person.id}/{verb}").status_code == 403
        assert admin.post(f"{API}/admin/users/999999/{verb}").status_code == 404
    assert admin.post(f"{API}/admin/users/{admin.user_id}/deactivate").status_code == 409
    assert admin.get(f"{API}/me").status_code == 200
    with factory.app.app_context():
        assert db.session.get(User, person.id).deactivated_at is None


def test_registering_signs_you_in(client):
    created = client.post(
        f"{API}/auth/register",
        json={
            "email": "new.officer@leeds.gov.uk",
            "password": "a long and unusual passphrase",
            "name": "New Officer",
            "role": "officer",
        },
    )
    assert created.status_code == 201
    me = client.get(f"{API}/me")
    assert me.status_code == 200 and me.json["email"] == "new.officer@leeds.gov.uk"
    token = client.get(f"{API}/auth/csrf").json["csrf_token"]
    changed = client.patch(
        f"{API}/me", json={"role": "councillor"}, headers={"X-CSRF-Token": token}
    )
    assert changed.status_code == 200 and changed.json["role"] == "councillor"
