"""Every live-session REST endpoint, for every kind of person, in every visibility: the
expected status.

The people and groups are the groups matrix's (tests/matrix.py). In each group the owner
scheduled one session (`scheduled`) and started another (`live`). A call that changes
anything is undone (from a snapshot of the rows) before the next.
"""

from __future__ import annotations

import pytest

from tests.live.helpers import schedule, start
from tests.matrix import (
    API,
    NOBODY,
    World,
    build_world,
    check_table_shape,
    restore_tables,
    snapshot_tables,
    walk,
)

ALL = (200, 200, 200, 200)
#                             open  restricted private hidden
READ = {
    "anonymous": NOBODY,
    "non_member": (200, 403, 403, 404),
    "requester": (200, 403, 403, 404),
    "invitee": (200, 403, 403, 404),
    "member": ALL,
    "moderator": ALL,
    "owner": ALL,
    "banned": (403, 403, 403, 404),
    "site_admin": (200, 403, 403, 403),
}
# Starting and ending: the group's moderators (and the session's panelists).
RUN = {
    "anonymous": NOBODY,
    "non_member": (403, 403, 403, 404),
    "requester": (403, 403, 403, 404),
    "invitee": (403, 403, 403, 404),
    "member": (403, 403, 403, 403),
    "moderator": ALL,
    "owner": ALL,
    "banned": (403, 403, 403, 404),
    "site_admin": (200, 403, 403, 403),
}
EXPECTED = {
    "GET /groups/{id}/live-sessions": READ,
    "GET /live-sessions/{live}": READ,
    "GET /live-sessions/{live}/questions": READ,
    # Scheduling is moderating: the group's owners and moderators, and site admins only
    # where they may read the content (a session they could not open is no use).
    "POST /groups/{id}/live-sessions": {
        "anonymous": NOBODY,
        "non_member": (403, 403, 403, 404),
        "requester": (403, 403, 403, 404),
        "invitee": (403, 403, 403, 404),
        "member": (403, 403, 403, 403),
        "moderator": (201, 201, 201, 201),
        "owner": (201, 201, 201, 201),
        "banned": (403, 403, 403, 404),
        "site_admin": (201, 403, 403, 403),
    },
    "POST /live-sessions/{scheduled}/start": RUN,
    "POST /live-sessions/{live}/end": RUN,
    # Asking: members, and the session's moderators where they may follow it.
    "POST /live-sessions/{live}/questions": {
        "anonymous": NOBODY,
        "non_member": (403, 403, 403, 404),
        "requester": (403, 403, 403, 404),
        "invitee": (403, 403, 403, 404),
        "member": (201, 201, 201, 201),
        "moderator": (201, 201, 201, 201),
        "owner": (201, 201, 201, 201),
        "banned": (403, 403, 403, 404),
        "site_admin": (201, 403, 403, 403),
    },
}
BODIES = {
    "POST /groups/{id}/live-sessions": {
        "title": "Budget Q&A",
        "starts_at": "2026-11-22T14:00:00Z",
        "panelist_ids": [],
    },
    "POST /live-sessions/{live}/questions": {"text": "What will it cost?"},
}
LIVE_TABLES = (
    "live_sessions",
    "live_panelists",
    "live_questions",
    "live_answers",
    "live_votes",
    "live_events",
    "live_chat_messages",
    "forum_threads",
    "forum_posts",
    "forum_subscriptions",
    "notifications",
)


def caller(world: World, sessions: dict[str, dict[str, int]]):
    def call(endpoint: str, persona: str, visibility: str):
        method, template = endpoint.split(" ")
        path = API + template.format(id=world.groups[visibility], **sessions[visibility])
        return world.people[persona].open(method, path, json=BODIES.get(endpoint))

    return call


def run(app, factory, endpoints) -> list[str]:
    world = build_world(app, factory)
    owner = world.people["owner"]
    sessions = {}
    for visibility, group_id in world.groups.items():
        scheduled = schedule(owner, group_id, title="Later")["id"]
        live = schedule(owner, group_id, title="Now")["id"]
        start(owner, live)
        sessions[visibility] = {"scheduled": scheduled, "live": live}
    snapshot = snapshot_tables(app, LIVE_TABLES)
    return walk(
        world, EXPECTED, endpoints, caller(world, sessions), lambda: restore_tables(app, snapshot)
    )


def test_the_table_covers_every_live_rest_route(app):
    check_table_shape(EXPECTED)
    routes = {
        f"{method} {rule.rule.removeprefix(API)}"
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("live.")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    covered = {
        e.replace("{id}", "<int:group_id>")
        .replace("{live}", "<int:session_id>")
        .replace("{scheduled}", "<int:session_id>")
        for e in EXPECTED
    }
    assert routes == covered


def test_reading_endpoints_answer_as_the_table_says(app, factory):
    assert run(app, factory, [e for e in EXPECTED if e.startswith("GET")]) == []


@pytest.mark.long
def test_changing_endpoints_answer_as_the_table_says(app, factory):
    assert run(app, factory, [e for e in EXPECTED if not e.startswith("GET")]) == []
