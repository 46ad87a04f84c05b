"""`personal_event` on /live: each connected client is in the room of its own person, and
hears of its notifications and of the messages of its conversations, each as the REST API
shows it; nobody else hears of them, nothing is sent for a write that rolled back, and
revoking a person's access stops them."""

from __future__ import annotations

import time

import requests

from hub import outbox
from hub.extensions import db
from hub.notifications.service import notify
from tests.conftest import require_redis
from tests.e2e.conftest import HUB_SERVER, start_server  # noqa: F401  (a fixture)
from tests.factories import PASSWORD
from tests.live.helpers import API, LiveClient
from tests.live.test_revocation import Person, _cookie_socket, _email_of, _sign_in

QUIET = 0.5  # seconds: long enough for an event that was going to arrive to arrive


def _send(sender, recipient, text: str) -> dict:
    """A direct message through the API; returns the conversation."""
    started = sender.post(
        f"{API}/conversations", json={"participant_ids": [recipient.user_id], "text": text}
    )
    assert started.status_code == 201, started.json
    return started.json


def test_the_recipient_hears_of_a_message_and_its_notification_and_nobody_else(factory, clients):
    alice, bob, carol = (factory.person(name=n) for n in ("Alice Ahmed", "Bob Brown", "Cara C"))
    hears = {who: clients(who.token) for who in (alice, bob, carol)}

    conversation = _send(alice, bob, "Have you seen the *new* guidance?")

    events = hears[bob].wait_for_personal(2)
    by_type = {e["type"]: e["data"] for e in events}
    assert set(by_type) == {"message", "notification"}
    # Exactly as the REST lists show them to Bob (notifications first: reading the
    # messages reads their notification).
    notifications = bob.get(f"{API}/notifications").json
    messages = bob.get(f"{API}/conversations/{conversation['id']}/messages").json
    assert by_type["message"] == messages[-1]
    assert by_type["notification"] == notifications[0]
    assert by_type["message"]["body_html"] == "<p>Have you seen the <em>new</em> guidance?</p>\n"
    # Alice's other pages hear of her own message, without a notification; Carol of nothing.
    assert [e["type"] for e in hears[alice].wait_for_personal(1)] == ["message"]
    time.sleep(QUIET)
    assert [e["type"] for e in hears[alice].personal] == ["message"]
    assert hears[carol].personal == []


def test_a_reply_reaches_every_connection_of_the_recipient(factory, clients):
    alice, bob = factory.person(), factory.person()
    conversation = _send(alice, bob, "First")
    laptop, phone = clients(bob.token), clients(bob.token)
    replied = alice.post(
        f"{API}/conversations/{conversation['id']}/messages", json={"text": "Second"}
    )
    assert replied.status_code == 201
    for connection in (laptop, phone):
        message = next(e["data"] for e in connection.wait_for_personal(2) if e["type"] == "message")
        assert message == replied.json


def test_nothing_is_sent_for_a_write_that_rolled_back(app, factory, clients):
    bob = factory.person()
    hears = clients(bob.token)
    with app.app_context():
        notify(bob.user_id, "mention", {"user": {"id": 1, "name": "Rolled Back"}})
        db.session.rollback()
        outbox.drain_all()
    time.sleep(QUIET)
    assert hears.personal == []
    with app.app_context():
        notify(bob.user_id, "mention", {"user": {"id": 1, "name": "Committed"}})
        db.session.commit()
        outbox.drain_all()
    [event] = hears.wait_for_personal(1)
    assert event["data"]["data"]["user"]["name"] == "Committed"


def test_signing_out_stops_them(app, factory, server, clients):
    alice, bob = factory.person(), factory.person()
    browser = _sign_in(server, Person(_email_of(app, bob)))
    hears = _cookie_socket(app, server, clients, browser)
    _send(alice, bob, "Before")
    assert len(hears.wait_for_personal(2)) == 2
    assert browser.post(f"{server.url}{API}/auth/logout").status_code == 204
    hears.wait_disconnected(timeout=2)
    _send(alice, bob, "After signing out")
    time.sleep(QUIET)
    assert all(e["data"].get("body") != "After signing out" for e in hears.personal)
    assert len(hears.personal) == 2


def test_closing_the_account_disconnects_its_sockets(factory, clients):
    bob = factory.person()
    hears = clients(bob.token)
    closed = bob.delete(f"{API}/me", json={"password": PASSWORD})
    assert closed.status_code == 204, closed.json
    hears.wait_disconnected(timeout=2)


def test_across_two_processes_through_redis(app, factory, start_server):  # noqa: F811
    redis_url = require_redis()
    env = {"HUB_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "HUB_REDIS_URL": redis_url}
    first, second = start_server(HUB_SERVER, env=env), start_server(HUB_SERVER, env=env)
    alice, bob, carol = factory.person(), factory.person(), factory.person()
    bob_hears = LiveClient(first.url, bob.token)
    carol_hears = LiveClient(second.url, carol.token)
    try:
        sent = requests.post(
            f"{second.url}{API}/conversations",
            json={"participant_ids": [bob.user_id], "text": "From the other process"},
            headers={"Authorization": f"Bearer {alice.token}"},
        )
        assert sent.status_code == 201, sent.text
        events = bob_hears.wait_for_personal(2)
        message = next(e["data"] for e in events if e["type"] == "message")
        assert message["body"] == "From the other process"
        time.sleep(QUIET)
        assert carol_hears.personal == []
    finally:
        bob_hears.disconnect()
        carol_hears.disconnect()
