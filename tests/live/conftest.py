"""Live tests run a real server (in a thread of the test process) on SQLite and
PostgreSQL, with real Socket.IO clients."""

from __future__ import annotations

import pytest

from tests.live.helpers import LiveClient, ThreadedServer, add_member, make_group, schedule


@pytest.fixture
def server(app):
    running = ThreadedServer(app)
    yield running
    running.stop()


@pytest.fixture
def clients(server):
    """Make connected clients; all are disconnected after the test."""
    made: list[LiveClient] = []

    def connect(token: str | None, **kwargs) -> LiveClient:
        client = LiveClient(server.url, token, **kwargs)
        made.append(client)
        return client

    yield connect
    for client in made:
        client.disconnect()


@pytest.fixture
def cast(factory):
    """An owner, a moderator, a panelist, two members and an outsider, and a private group
    (content for members only) with a scheduled session."""

    class Cast:
        owner = factory.person(name="Olivia Owner")
        moderator = factory.person(name="Mo Moderator")
        panelist = factory.person(name="Pat Panelist")
        member = factory.person(name="Mel Member")
        other = factory.person(name="Max Member")
        outsider = factory.person(name="Oscar Outsider")

    group_id = make_group(Cast.owner, "private")
    add_member(Cast.owner, group_id, Cast.moderator, role="moderator")
    for person in (Cast.member, Cast.other):
        add_member(Cast.owner, group_id, person)
    Cast.group_id = group_id
    Cast.session = schedule(Cast.owner, group_id, panelist_ids=[Cast.panelist.user_id])
    Cast.session_id = Cast.session["id"]
    return Cast
