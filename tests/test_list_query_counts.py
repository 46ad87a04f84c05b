"""Every paginated list runs the same number of SQL queries whatever the page size.

The list routes are found in the OpenAPI document (the GET operations that answer with
`X-Pagination`), so a new list is checked as soon as it exists. One world holds more than
five of everything (people, tokens, accounts awaiting approval, connections, blocks,
conversations, messages, groups, members, join requests, threads, posts, suggestions,
folders, files, versions, live sessions, questions, notifications, feed items); each list
is read at page_size=5 and page_size=100, and the queries are counted.
"""

from __future__ import annotations

import json

import pytest

from tests.factories import PASSWORD
from tests.groups.helpers import API, counting_queries, make_group, reply, start_thread
from tests.library.helpers import add_version, uploaded
from tests.live.helpers import schedule, start

MANY = 6
# The main read lists run at most this many queries, the bearer token's person included.
MOST_QUERIES = {
    "/api/v1/conversations": 2,  # participants come with the page
    "/api/v1/groups": 2,  # its total and tags come with the page
    "/api/v1/groups/{group_id}/threads": 3,
    "/api/v1/me/feed": 2,  # the page, its items and its total in one statement
    "/api/v1/notifications": 3,  # with notifications from groups: which may you still read
    "/api/v1/people": 2,
    "/api/v1/threads/{thread_id}/posts": 3,
}


def paginated_routes(app) -> list[str]:
    spec = app.test_client().get("/api/openapi.json").json
    return sorted(
        path
        for path, operations in spec["paths"].items()
        if "get" in operations and "X-Pagination" in json.dumps(operations["get"]["responses"])
    )


def build(app, factory) -> tuple[dict, dict]:
    """The world; returns the path parameters and who reads each list."""
    owner = factory.person(name="Olive Owner")
    admin = factory.client_for(factory.user(is_admin=True, name="Ada Admin"))
    people = [factory.person(name=f"Colleague {n}") for n in range(MANY)]
    email = owner.get(f"{API}/me").json["email"]
    for _ in range(MANY):  # browser sessions, signed in from several places
        signed_in = app.test_client().post(
            f"{API}/auth/login", json={"email": email, "password": PASSWORD}
        )
        assert signed_in.status_code == 200
    for _ in range(MANY):
        factory.user(approved_at=None)
        assert owner.post(f"{API}/auth/tokens", json={"name": "script"}).status_code == 201
        blocked = factory.user()
        assert owner.post(f"{API}/people/{blocked.id}/block").status_code in (200, 201, 204)
    for _ in range(MANY - 1):
        make_group(owner, "open", name="Another group")
    group_id = make_group(owner, "open", name="Flood risk")
    closed_id = make_group(owner, "restricted", name="Police and crime panel")
    conversations = []
    for person in people:
        assert person.post(f"{API}/people/{owner.user_id}/connect").status_code == 202
        assert owner.post(f"{API}/me/connections/{person.user_id}/accept").status_code == 200
        made = owner.post(
            f"{API}/conversations", json={"participant_ids": [person.user_id], "text": "Hello"}
        )
        assert made.status_code == 201, made.json
        conversations.append(made.json["id"])
        assert person.post(f"{API}/groups/{group_id}/join").status_code == 200
        assert person.post(f"{API}/groups/{closed_id}/join").status_code == 202
    everyone = [p.user_id for p in people]
    made = owner.post(f"{API}/conversations", json={"participant_ids": everyone, "text": "All"})
    assert made.status_code == 201, made.json
    conversations.insert(0, made.json["id"])
    for n in range(MANY):
        sent = people[n].post(
            f"{API}/conversations/{conversations[0]}/messages", json={"text": f"Reply {n}"}
        )
        assert sent.status_code in (200, 201), sent.json
    threads = [
        start_thread(person, group_id, f"Thread {n}", f"@[Olive Owner](user:{owner.user_id})")["id"]
        for n, person in enumerate(people)
    ]
    for person in people:
        reply(person, threads[0], "Agreed.")
        made = person.post(
            f"{API}/groups/{group_id}/suggestions", json={"title": "Idea", "body": "Try it."}
        )
        assert made.status_code == 201
        assert owner.post(f"{API}/suggestions/{made.json['id']}/vote").status_code == 200
        folder = person.post(
            f"{API}/groups/{group_id}/library/folders", json={"name": f"Folder {person.user_id}"}
        )
        assert folder.status_code == 201
    files = [uploaded(person, group_id, tags="flood,risk")["id"] for person in people]
    for n in range(MANY - 1):
        assert add_version(owner, files[0], f"v{n}.txt", b"Version %d\n" % n).status_code == 201
    sessions = [schedule(owner, group_id, title=f"Session {n}")["id"] for n in range(MANY)]
    for session_id in sessions:
        start(owner, session_id)
    for person in people:
        asked = person.post(
            f"{API}/live-sessions/{sessions[0]}/questions", json={"text": "How much?"}
        )
        assert asked.status_code == 201, asked.json
    for person, session_id in zip(people[1:], sessions[1:], strict=True):
        asked = person.post(f"{API}/live-sessions/{session_id}/questions", json={"text": "When?"})
        assert asked.status_code == 201, asked.json
    for person, thread_id in zip(people, threads, strict=True):
        body = {"target_type": "thread", "target_id": thread_id, "reason": "Off topic."}
        assert person.post(f"{API}/reports", json=body).status_code == 201
        invited = owner.post(
            f"{API}/groups/{group_id}/invitations", json={"user_id": factory.user().id}
        )
        assert invited.status_code == 201  # each invitation is in the group's audit log
    # The newest activity is one of each kind, so the feed's first page holds every kind
    # (each kind is loaded in its own fixed queries).
    reply(people[1], threads[1], "Latest reply.")
    uploaded(people[1], group_id, tags="latest")
    schedule(owner, group_id, title="Latest session")
    parameters = {
        "group_id": group_id,
        "thread_id": threads[0],
        "file_id": files[0],
        "session_id": sessions[0],
        "conversation_id": conversations[0],
    }
    readers = {
        route: admin
        for route in (
            "/api/v1/admin/accounts/awaiting-approval",
            "/api/v1/admin/audit",
            "/api/v1/admin/reports",
        )
    }
    return parameters, {"default": owner, "closed": closed_id, **readers}


@pytest.mark.long
def test_every_list_runs_a_fixed_number_of_queries_whatever_the_page_size(app, factory):
    parameters, readers = build(app, factory)
    owner = readers["default"]
    routes = paginated_routes(app)
    assert len(routes) >= 20, routes
    differences = []
    for route in routes:
        values = dict(parameters)
        if route.endswith("/requests"):
            values["group_id"] = readers["closed"]
        path = route.format(**values)
        reader = readers.get(route, owner)
        reader.get(f"{path}?page_size=100")  # anything done once (warming up) is not counted
        counts = {}
        for size in (5, 100):
            with counting_queries(app) as statements:
                response = reader.get(f"{path}?page_size={size}")
            assert response.status_code == 200, (route, response.json)
            assert isinstance(response.json, list), route
            counts[size] = (len(statements), len(response.json))
        assert counts[5][1] == 5 and counts[100][1] > 5, (route, counts)
        if counts[5][0] != counts[100][0]:
            differences.append(f"{route}: {counts[5][0]} queries at 5, {counts[100][0]} at 100")
        if counts[5][0] > MOST_QUERIES.get(route, counts[5][0]):
            differences.append(f"{route}: {counts[5][0]} queries, more than {MOST_QUERIES[route]}")
    assert differences == []
