"""Every forum, suggestion and notification endpoint, for every kind of person, in every
visibility: the expected status; and what notifications, the activity feed and search
show each of them.

The people and groups are the groups matrix's (tests/matrix.py). In each group:
- `thread`: the member's thread, nobody has replied (its author may still delete it);
- `other`: the owner's thread (`opening` is its first post) with the member's `reply`;
- `locked`: the owner's thread, locked;
- `suggestion`: the member's suggestion, open.
A call that changes anything is undone (from a snapshot of the rows) before the next.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pytest

from tests.groups.helpers import reply, start_thread
from tests.matrix import (
    API,
    NOBODY,
    PERSONAS,
    VISIBILITIES,
    World,
    build_world,
    check_table_shape,
    restore_tables,
    snapshot_tables,
    walk,
)
from tests.search.helpers import leaked

ALL = (200, 200, 200, 200)
# Readers: anyone signed in for an open group, members for the others; hidden groups do
# not exist for non-members; site admins see every group but read none they are not in.
#                             open  restricted private hidden
EXPECTED = {
    "GET /groups/{id}/threads": {
        "anonymous": NOBODY,
        "non_member": (200, 403, 403, 404),
        "requester": (200, 403, 403, 404),
        "invitee": (200, 403, 403, 404),
        "member": ALL,
        "moderator": ALL,
        "owner": ALL,
        "banned": (403, 403, 403, 404),
        "site_admin": (200, 403, 403, 403),
    },
    "POST /groups/{id}/threads": {
        "anonymous": NOBODY,
        "non_member": (403, 403, 403, 404),
        "requester": (403, 403, 403, 404),
        "invitee": (403, 403, 403, 404),
        "member": (201, 201, 201, 201),
        "moderator": (201, 201, 201, 201),
        "owner": (201, 201, 201, 201),
        "banned": (403, 403, 403, 404),
        "site_admin": (403, 403, 403, 403),
    },
    "GET /threads/{thread}": {
        "anonymous": NOBODY,
        "non_member": (200, 403, 403, 404),
        "requester": (200, 403, 403, 404),
        "invitee": (200, 403, 403, 404),
        "member": ALL,
        "moderator": ALL,
        "owner": ALL,
        "banned": (403, 403, 403, 404),
        "site_admin": (200, 403, 403, 403),
    },
    # Renaming: the author (the member) or a moderator.
    "PATCH /threads/{thread}": {
        "anonymous": NOBODY,
        "non_member": (403, 403, 403, 404),
        "requester": (403, 403, 403, 404),
        "invitee": (403, 403, 403, 404),
        "member": ALL,
        "moderator": ALL,
        "owner": ALL,
        "banned": (403, 403, 403, 404),
        "site_admin": (200, 403, 403, 403),
    },
    # Pinning (and locking): moderators only, not the author.
    "PATCH /threads/{thread} pin": {
        "anonymous": NOBODY,
        "non_member": (403, 403, 403, 404),
        "requester": (403, 403, 403, 404),
        "invitee": (403, 403, 403, 404),
        "member": (403, 403, 403, 403),
        "moderator": ALL,
        "owner": ALL,
        "banned": (403, 403, 403, 404),
        "site_admin": (200, 403, 403, 403),
    },
    # The author while nobody has replied, or a moderator.
    "DELETE /threads/{thread}": {
        "anonymous": NOBODY,
        "non_member": (403, 403, 403, 404),
        "requester": (403, 403, 403, 404),
        "invitee": (403, 403, 403, 404),
        "member": (204, 204, 204, 204),
        "moderator": (204, 204, 204, 204),
        "owner": (204, 204, 204, 204),
        "banned": (403, 403, 403, 404),
        "site_admin": (204, 403, 403, 403),
    },
    "GET /threads/{thread}/posts": {
        "anonymous": NOBODY,
        "non_member": (200, 403, 403, 404),
        "requester": (200, 403, 403, 404),
        "invitee": (200, 403, 403, 404),
        "member": ALL,
        "moderator": ALL,
        "owner": ALL,
        "banned": (403, 403, 403, 404),
        "site_admin": (200, 403, 403, 403),
    },
    "POST /threads/{thread}/posts": {
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
    # A locked thread takes posts from moderators only; members get 409.
    "POST /threads/{locked}/posts": {
        "anonymous": NOBODY,
        "non_member": (403, 403, 403, 404),
        "requester": (403, 403, 403, 404),
        "invitee": (403, 403, 403, 404),
        "member": (409, 409, 409, 409),
        "moderator": (201, 201, 201, 201),
        "owner": (201, 201, 201, 201),
        "banned": (403, 403, 403, 404),
        "site_admin": (201, 403, 403, 403),
    },
    "GET /posts/{reply}": {
        "anonymous": NOBODY,
        "non_member": (200, 403, 403, 404),
        "requester": (200, 403, 403, 404),
        "invitee": (200, 403, 403, 404),
        "member": ALL,
        "moderator": ALL,
        "owner": ALL,
        "banned": (403, 403, 403, 404),
        "site_admin": (200, 403, 403, 403),
    },
    # The author (the member) or a moderator.
    "PATCH /posts/{reply}": {
        "anonymous": NOBODY,
        "non_member": (403, 403, 403, 404),
        "requester": (403, 403, 403, 404),
        "invitee": (403, 403, 403, 404),
        "member": ALL,
        "moderator": ALL,
        "owner": ALL,
        "banned": (403, 403, 403, 404),
        "site_admin": (200, 403, 403, 403),
    },
    "DELETE /posts/{reply}": {
        "anonymous": NOBODY,
        "non_member": (403, 403, 403, 404),
        "requester": (403, 403, 403, 404),
        "invitee": (403, 403, 403, 404),
        "member": (204, 204, 204, 204),
        "moderator": (204, 204, 204, 204),
        "owner": (204, 204, 204, 204),
        "banned": (403, 403, 403, 404),
        "site_admin": (204, 403, 403, 403),
    },
    # The owner's opening post: only its thread can be deleted (409), by who may.
    "DELETE /posts/{opening}": {
        "anonymous": NOBODY,
        "non_member": (403, 403, 403, 404),
        "requester": (403, 403, 403, 404),
        "invitee": (403, 403, 403, 404),
        "member": (403, 403, 403, 403),
        "moderator": (409, 409, 409, 409),
        "owner": (409, 409, 409, 409),
        "banned": (403, 403, 403, 404),
        "site_admin": (409, 403, 403, 403),
    },
    "POST /threads/{thread}/subscribe": {
        "anonymous": NOBODY,
        "non_member": (200, 403, 403, 404),
        "requester": (200, 403, 403, 404),
        "invitee": (200, 403, 403, 404),
        "member": ALL,
        "moderator": ALL,
        "owner": ALL,
        "banned": (403, 403, 403, 404),
        "site_admin": (200, 403, 403, 403),
    },
    "DELETE /threads/{thread}/subscribe": {
        "anonymous": NOBODY,
        "non_member": (204, 403, 403, 404),
        "requester": (204, 403, 403, 404),
        "invitee": (204, 403, 403, 404),
        "member": (204, 204, 204, 204),
        "moderator": (204, 204, 204, 204),
        "owner": (204, 204, 204, 204),
        "banned": (403, 403, 403, 404),
        "site_admin": (204, 403, 403, 403),
    },
    "GET /groups/{id}/suggestions": {
        "anonymous": NOBODY,
        "non_member": (200, 403, 403, 404),
        "requester": (200, 403, 403, 404),
        "invitee": (200, 403, 403, 404),
        "member": ALL,
        "moderator": ALL,
        "owner": ALL,
        "banned": (403, 403, 403, 404),
        "site_admin": (200, 403, 403, 403),
    },
    "POST /groups/{id}/suggestions": {
        "anonymous": NOBODY,
        "non_member": (403, 403, 403, 404),
        "requester": (403, 403, 403, 404),
        "invitee": (403, 403, 403, 404),
        "member": (201, 201, 201, 201),
        "moderator": (201, 201, 201, 201),
        "owner": (201, 201, 201, 201),
        "banned": (403, 403, 403, 404),
        "site_admin": (403, 403, 403, 403),
    },
    "GET /suggestions/{suggestion}": {
        "anonymous": NOBODY,
        "non_member": (200, 403, 403, 404),
        "requester": (200, 403, 403, 404),
        "invitee": (200, 403, 403, 404),
        "member": ALL,
        "moderator": ALL,
        "owner": ALL,
        "banned": (403, 403, 403, 404),
        "site_admin": (200, 403, 403, 403),
    },
    # The status workflow: moderators.
    "PATCH /suggestions/{suggestion}": {
        "anonymous": NOBODY,
        "non_member": (403, 403, 403, 404),
        "requester": (403, 403, 403, 404),
        "invitee": (403, 403, 403, 404),
        "member": (403, 403, 403, 403),
        "moderator": ALL,
        "owner": ALL,
        "banned": (403, 403, 403, 404),
        "site_admin": (200, 403, 403, 403),
    },
    # One vote a member: reading an open group is not enough, nor is being a site admin.
    "POST /suggestions/{suggestion}/vote": {
        "anonymous": NOBODY,
        "non_member": (403, 403, 403, 404),
        "requester": (403, 403, 403, 404),
        "invitee": (403, 403, 403, 404),
        "member": ALL,
        "moderator": ALL,
        "owner": ALL,
        "banned": (403, 403, 403, 404),
        "site_admin": (403, 403, 403, 403),
    },
    "DELETE /suggestions/{suggestion}/vote": {
        "anonymous": NOBODY,
        "non_member": (403, 403, 403, 404),
        "requester": (403, 403, 403, 404),
        "invitee": (403, 403, 403, 404),
        "member": ALL,
        "moderator": ALL,
        "owner": ALL,
        "banned": (403, 403, 403, 404),
        "site_admin": (403, 403, 403, 403),
    },
}

# Per person, not per group: everyone signed in, whatever the group (which they do not name).
SIGNED_IN = {persona: ALL for persona in PERSONAS} | {"anonymous": NOBODY}
PERSONAL = {
    "GET /notifications": SIGNED_IN,
    "GET /notifications/unread-count": SIGNED_IN,
    "POST /notifications/read": SIGNED_IN,
    "GET /me/notification-settings": SIGNED_IN,
    "PATCH /me/notification-settings": SIGNED_IN,
    "GET /me/feed": SIGNED_IN,
    "GET /search": SIGNED_IN,
}

BODIES = {
    "POST /groups/{id}/threads": {"title": "A new thread", "body": "Hello."},
    "PATCH /threads/{thread}": {"title": "Renamed"},
    "PATCH /threads/{thread} pin": {"pinned": True},
    "POST /threads/{thread}/posts": {"body": "A reply."},
    "POST /threads/{locked}/posts": {"body": "A reply."},
    "PATCH /posts/{reply}": {"body": "Edited."},
    "POST /groups/{id}/suggestions": {"title": "An idea", "body": "Why not?"},
    "PATCH /suggestions/{suggestion}": {"status": "under_review"},
    "POST /notifications/read": {"all": True},
    "PATCH /me/notification-settings": {"notification_email": "daily"},
}
QUERIES = {"GET /search": {"q": "peer challenge"}}

CONTENT_TABLES = (
    "forum_threads",
    "forum_posts",
    "forum_subscriptions",
    "suggestions",
    "suggestion_votes",
    "notifications",
    "notification_preferences",
)


@dataclass
class Content:
    thread: int
    other: int
    opening: int
    reply: int
    locked: int
    suggestion: int


def build_content(world: World) -> dict[str, Content]:
    owner, member = world.people["owner"], world.people["member"]
    content = {}
    for visibility, group_id in world.groups.items():
        thread = start_thread(member, group_id, "The member's thread", "Any thoughts?")
        other = start_thread(owner, group_id, "The owner's thread", "How did it go?")
        answer = reply(member, other["id"], "It went well.")
        locked = start_thread(owner, group_id, "Locked", "Read only.")
        assert (
            owner.patch(f"{API}/threads/{locked['id']}", json={"locked": True}).status_code == 200
        )
        made = member.post(
            f"{API}/groups/{group_id}/suggestions", json={"title": "Idea", "body": "Do it."}
        )
        assert made.status_code == 201, made.json
        content[visibility] = Content(
            thread=thread["id"],
            other=other["id"],
            opening=other["first_post"]["id"],
            reply=answer["id"],
            locked=locked["id"],
            suggestion=made.json["id"],
        )
    return content


def caller(world: World, content: dict[str, Content]):
    def call(endpoint: str, persona: str, visibility: str):
        method, template = endpoint.split(" ")[:2]
        c = content[visibility]
        path = API + template.format(
            id=world.groups[visibility],
            thread=c.thread,
            locked=c.locked,
            reply=c.reply,
            opening=c.opening,
            suggestion=c.suggestion,
        )
        return world.people[persona].open(
            method, path, json=BODIES.get(endpoint), query_string=QUERIES.get(endpoint)
        )

    return call


def run(app, factory, endpoints) -> list[str]:
    world = build_world(app, factory)
    content = build_content(world)
    snapshot = snapshot_tables(app, CONTENT_TABLES)
    table = EXPECTED | PERSONAL
    return walk(
        world,
        table,
        endpoints,
        caller(world, content),
        lambda: restore_tables(app, snapshot),
        personal=PERSONAL,
    )


def test_the_table_covers_every_forum_suggestion_and_notification_route(app):
    check_table_shape(EXPECTED)
    check_table_shape(PERSONAL, personal=PERSONAL)
    routes = {
        f"{method} {rule.rule.removeprefix(API)}"
        for rule in app.url_map.iter_rules()
        if rule.endpoint.split(".")[0] in ("forum", "suggestions", "notifications")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    covered = set()
    for endpoint in EXPECTED | PERSONAL:
        method, template = endpoint.split(" ")[:2]
        for name, converter in (
            ("{id}", "<int:group_id>"),
            ("{thread}", "<int:thread_id>"),
            ("{locked}", "<int:thread_id>"),
            ("{reply}", "<int:post_id>"),
            ("{opening}", "<int:post_id>"),
            ("{suggestion}", "<int:suggestion_id>"),
        ):
            template = template.replace(name, converter)
        covered.add(f"{method} {template}")
    assert routes <= covered, routes - covered


def test_reading_endpoints_answer_as_the_table_says(app, factory):
    endpoints = [e for e in EXPECTED | PERSONAL if e.startswith("GET")]
    assert run(app, factory, endpoints) == []


@pytest.mark.long
def test_changing_endpoints_answer_as_the_table_says(app, factory):
    endpoints = [e for e in EXPECTED | PERSONAL if not e.startswith("GET")]
    assert run(app, factory, endpoints) == []


# --- What reaches whom ------------------------------------------------------------------

# Every notification each persona holds once the world below is made, as (kind,
# visibility of its group) with how many. Invitations and join requests are about a
# person's place in a group and reach people who cannot read it; the rest is content and
# reaches only those who may read it: nothing of a non-open group reaches a non-member.
NOTIFIED = {
    "non_member": {("mention", "open"): 1, ("reply", "open"): 1},
    "requester": {("mention", "open"): 1},
    "invitee": {("mention", "open"): 1} | {("invitation", v): 1 for v in VISIBILITIES},
    "member": {
        (kind, v): 1
        for kind in ("invitation", "mention", "suggestion_status")
        for v in VISIBILITIES
    },
    "moderator": {
        (kind, v): 1 for kind in ("invitation", "join_request", "mention") for v in VISIBILITIES
    },
    "owner": {("join_request", v): 1 for v in VISIBILITIES}
    | {("reply", v): 2 for v in VISIBILITIES},
    "banned": {("invitation", v): 1 for v in VISIBILITIES},
    "site_admin": {("mention", "open"): 1},
}
MEMBERSHIP_KINDS = {"invitation", "join_request"}


def _group_of(notification: dict) -> int | None:
    return notification["group_id"] or (notification["data"].get("group") or {}).get("id")


def test_each_person_sees_only_their_own_notifications_and_no_closed_content(app, factory):
    world = build_world(app, factory)
    content = build_content(world)
    owner, member = world.people["owner"], world.people["member"]
    everyone = " ".join(
        f"@[{p.replace('_', ' ').title()}](user:{world.ids[p]})"
        for p in PERSONAS
        if p != "anonymous"
    )
    for c in content.values():
        # The non-member follows the owner's thread where they may (the open group only).
        world.people["non_member"].post(f"{API}/threads/{c.other}/subscribe")
        reply(owner, c.thread, f"Over to you: {everyone}")
        reply(member, c.other, "One more thing.")
        moved = owner.patch(f"{API}/suggestions/{c.suggestion}", json={"status": "under_review"})
        assert moved.status_code == 200, moved.json

    visibility_of = {group_id: v for v, group_id in world.groups.items()}
    seen: dict[str, list[dict]] = {}
    for persona in NOTIFIED:
        response = world.people[persona].get(f"{API}/notifications?page_size=100")
        assert response.status_code == 200
        seen[persona] = response.json
        got = Counter((n["kind"], visibility_of.get(_group_of(n))) for n in response.json)
        assert got == Counter(NOTIFIED[persona]), persona
        for notification in response.json:
            if persona in ("non_member", "requester", "invitee", "banned", "site_admin"):
                group_visibility = visibility_of.get(_group_of(notification))
                if group_visibility not in (None, "open") or persona == "banned":
                    assert notification["kind"] in MEMBERSHIP_KINDS, (persona, notification)
        count = world.people[persona].get(f"{API}/notifications/unread-count")
        assert count.json == {"unread": len(response.json)}, persona

    # Nobody shares a notification, and nobody can mark another's read.
    ids = {persona: {n["id"] for n in items} for persona, items in seen.items()}
    for persona in ids:
        others = set().union(*(ids[p] for p in ids if p != persona))
        assert not ids[persona] & others, persona
        marked = world.people[persona].post(
            f"{API}/notifications/read", json={"ids": sorted(others)[:500]}
        )
        assert marked.status_code == 200 and marked.json == {"unread": len(ids[persona])}
    for persona in ids:
        count = world.people[persona].get(f"{API}/notifications/unread-count")
        assert count.json == {"unread": len(ids[persona])}, persona
        settings = world.people[persona].patch(
            f"{API}/me/notification-settings", json={"notification_email": "off"}
        )
        assert settings.status_code == 200
    assert owner.get(f"{API}/me/notification-settings").json == {"notification_email": "off"}
    assert world.people["anonymous"].get(f"{API}/notifications").status_code == 401


# The groups whose planted content each persona finds in the feed and in search.
READS = {
    "non_member": ("open",),
    "requester": ("open",),
    "invitee": ("open",),
    "member": VISIBILITIES,
    "moderator": VISIBILITIES,
    "owner": VISIBILITIES,
    "banned": (),
    "site_admin": ("open",),
}
WORDS = {"open": "quokka", "restricted": "narwhal", "private": "axolotl", "hidden": "pangolin"}


def test_feed_and_search_never_show_a_non_member_the_groups_content(app, factory):
    world = build_world(app, factory)
    owner, member = world.people["owner"], world.people["member"]
    for visibility, group_id in world.groups.items():
        word = WORDS[visibility]
        thread = start_thread(member, group_id, f"The {word} plan", f"Our {word} strategy.")
        reply(owner, thread["id"], f"More about the {word} strategy.")
        made = member.post(
            f"{API}/groups/{group_id}/suggestions",
            json={"title": f"A {word} idea", "body": f"The {word} budget."},
        )
        assert made.status_code == 201
    # Connected to the author: the feed shows a connection's activity where it may.
    for persona in ("non_member", "requester", "invitee", "banned", "site_admin"):
        asked = world.people[persona].post(f"{API}/people/{world.ids['member']}/connect")
        assert asked.status_code == 202, asked.json
        accepted = member.post(f"{API}/me/connections/{world.ids[persona]}/accept")
        assert accepted.status_code == 200, accepted.json

    visibility_of = {group_id: v for v, group_id in world.groups.items()}
    for persona, readable in READS.items():
        person = world.people[persona]
        feed = person.get(f"{API}/me/feed?page_size=100")
        assert feed.status_code == 200
        shown = {visibility_of[item["group"]["id"]] for item in feed.json}
        assert shown == set(readable), persona
        for visibility, word in WORDS.items():
            found = person.get(f"{API}/search", query_string={"q": word})
            assert found.status_code == 200
            if visibility in readable:
                assert found.json["total"] >= 3, (persona, visibility)
            else:
                problems = leaked(found.json, [word], world.groups[visibility])
                assert problems == [], (persona, visibility, problems)
    assert world.people["anonymous"].get(f"{API}/me/feed").status_code == 401
    assert world.people["anonymous"].get(f"{API}/search?q=quokka").status_code == 401
