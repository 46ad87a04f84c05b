"""Every group endpoint, for every kind of person, in every visibility: the expected status.

One world per test (4 groups, 9 personas), built through the API; a call that changes it
is undone (from a snapshot of the group's rows) before the next.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.groups.helpers import API, add_member, restore_groups, snapshot_groups

VISIBILITIES = ("open", "restricted", "private", "hidden")
PERSONAS = (
    "anonymous",
    "non_member",
    "requester",
    "invitee",
    "member",
    "moderator",
    "owner",
    "banned",
    "site_admin",
)
NON_MEMBERS = ("non_member", "requester", "invitee", "banned")

# Signed in but not allowed: 403, and 404 where the group is hidden from them.
REFUSED = (403, 403, 403, 404)
NOBODY = (401, 401, 401, 401)

# Declining, removing, banning, lifting a ban, cancelling an invitation: the group's
# owners and moderators (and site admins), 204.
MODERATORS_204 = {
    "anonymous": NOBODY,
    "non_member": REFUSED,
    "requester": REFUSED,
    "invitee": REFUSED,
    "member": (403, 403, 403, 403),
    "moderator": (204, 204, 204, 204),
    "owner": (204, 204, 204, 204),
    "banned": REFUSED,
    "site_admin": (204, 204, 204, 204),
}

#                                 open  restricted private hidden
EXPECTED: dict[str, dict[str, tuple[int, int, int, int]]] = {
    "GET /groups/{id}": {
        "anonymous": NOBODY,
        "non_member": (200, 200, 200, 404),
        "requester": (200, 200, 200, 404),
        "invitee": (200, 200, 200, 404),
        "member": (200, 200, 200, 200),
        "moderator": (200, 200, 200, 200),
        "owner": (200, 200, 200, 200),
        "banned": (200, 200, 200, 404),
        "site_admin": (200, 200, 200, 200),
    },
    "PATCH /groups/{id}": {
        "anonymous": NOBODY,
        "non_member": REFUSED,
        "requester": REFUSED,
        "invitee": REFUSED,
        "member": (403, 403, 403, 403),
        "moderator": (200, 200, 200, 200),
        "owner": (200, 200, 200, 200),
        "banned": REFUSED,
        "site_admin": (200, 200, 200, 200),
    },
    "DELETE /groups/{id}": {
        "anonymous": NOBODY,
        "non_member": REFUSED,
        "requester": REFUSED,
        "invitee": REFUSED,
        "member": (403, 403, 403, 403),
        "moderator": (403, 403, 403, 403),
        "owner": (204, 204, 204, 204),
        "banned": REFUSED,
        "site_admin": (204, 204, 204, 204),
    },
    "POST /groups/{id}/join": {
        "anonymous": NOBODY,
        "non_member": (200, 202, 403, 404),
        "requester": (200, 202, 403, 404),
        "invitee": (200, 200, 200, 200),
        "member": (200, 200, 200, 200),
        "moderator": (200, 200, 200, 200),
        "owner": (200, 200, 200, 200),
        "banned": REFUSED,
        "site_admin": (200, 202, 403, 403),
    },
    "POST /groups/{id}/leave": {
        "anonymous": NOBODY,
        "non_member": (404, 404, 404, 404),
        "requester": (404, 404, 404, 404),
        "invitee": (404, 404, 404, 404),
        "member": (204, 204, 204, 204),
        "moderator": (204, 204, 204, 204),
        "owner": (409, 409, 409, 409),
        "banned": (404, 404, 404, 404),
        "site_admin": (404, 404, 404, 404),
    },
    "GET /groups/{id}/members": {
        "anonymous": NOBODY,
        "non_member": (200, 403, 403, 404),
        "requester": (200, 403, 403, 404),
        "invitee": (200, 403, 403, 404),
        "member": (200, 200, 200, 200),
        "moderator": (200, 200, 200, 200),
        "owner": (200, 200, 200, 200),
        "banned": REFUSED,
        "site_admin": (200, 403, 403, 403),
    },
    # Whom to mention: for those who may post there (members; site admins are not).
    "GET /groups/{id}/mention-suggestions": {
        "anonymous": NOBODY,
        "non_member": REFUSED,
        "requester": REFUSED,
        "invitee": REFUSED,
        "member": (200, 200, 200, 200),
        "moderator": (200, 200, 200, 200),
        "owner": (200, 200, 200, 200),
        "banned": REFUSED,
        "site_admin": (403, 403, 403, 403),
    },
    "GET /groups/{id}/requests": {
        "anonymous": NOBODY,
        "non_member": REFUSED,
        "requester": REFUSED,
        "invitee": REFUSED,
        "member": (403, 403, 403, 403),
        "moderator": (200, 200, 200, 200),
        "owner": (200, 200, 200, 200),
        "banned": REFUSED,
        "site_admin": (200, 200, 200, 200),
    },
    "POST /groups/{id}/requests/{requester}/approve": {
        "anonymous": NOBODY,
        "non_member": REFUSED,
        "requester": REFUSED,
        "invitee": REFUSED,
        "member": (403, 403, 403, 403),
        "moderator": (200, 200, 200, 200),
        "owner": (200, 200, 200, 200),
        "banned": REFUSED,
        "site_admin": (200, 200, 200, 200),
    },
    "POST /groups/{id}/requests/{requester}/decline": MODERATORS_204,
    "POST /groups/{id}/invitations": {
        "anonymous": NOBODY,
        "non_member": REFUSED,
        "requester": REFUSED,
        "invitee": REFUSED,
        "member": (403, 403, 403, 403),
        "moderator": (201, 201, 201, 201),
        "owner": (201, 201, 201, 201),
        "banned": REFUSED,
        "site_admin": (201, 201, 201, 201),
    },
    "PATCH /groups/{id}/members/{member}": {
        "anonymous": NOBODY,
        "non_member": REFUSED,
        "requester": REFUSED,
        "invitee": REFUSED,
        "member": (403, 403, 403, 403),
        "moderator": (403, 403, 403, 403),
        "owner": (200, 200, 200, 200),
        "banned": REFUSED,
        "site_admin": (200, 200, 200, 200),
    },
    "DELETE /groups/{id}/members/{member}": MODERATORS_204,
    "DELETE /groups/{id}/members/{member}?ban=true": MODERATORS_204,
    "DELETE /groups/{id}/bans/{banned}": MODERATORS_204,
    "DELETE /groups/{id}/invitations/{invitee}": MODERATORS_204,
}

# Whether the group shows in GET /groups (the directory).
LISTED = {
    "non_member": (True, True, True, False),
    "requester": (True, True, True, False),
    "invitee": (True, True, True, False),
    "member": (True, True, True, True),
    "moderator": (True, True, True, True),
    "owner": (True, True, True, True),
    "banned": (True, True, True, False),
    "site_admin": (True, True, True, True),
}


class Anonymous:
    """A caller with no credentials, with the same `open` as ApiClient."""

    def __init__(self, app) -> None:
        self.client = app.test_client()

    def open(self, method: str, path: str, **kwargs):
        return self.client.open(path, method=method, **kwargs)

    def get(self, path: str, **kwargs):
        return self.open("GET", path, **kwargs)


@dataclass
class World:
    app: object
    people: dict  # persona -> client (anonymous: a plain test client)
    ids: dict  # persona -> user id
    groups: dict  # visibility -> group id
    outsider_id: int
    snapshot: dict


def build_world(app, factory) -> World:
    people = {
        name: factory.person(name=name.replace("_", " ").title())
        for name in PERSONAS
        if name not in ("anonymous", "site_admin")
    }
    people["site_admin"] = factory.client_for(factory.user(is_admin=True))
    owner = people["owner"]
    groups = {}
    for visibility in VISIBILITIES:
        # Every group starts restricted so that the requester can ask, then takes its
        # visibility: the request stays, as it would after an owner changed it.
        made = owner.post(
            f"{API}/groups",
            json={"name": f"{visibility} group", "description": "same", "visibility": "restricted"},
        )
        assert made.status_code == 201, made.json
        group_id = groups[visibility] = made.json["id"]
        add_member(owner, group_id, people["moderator"], "moderator")
        add_member(owner, group_id, people["member"])
        add_member(owner, group_id, people["banned"])
        url = f"{API}/groups/{group_id}"
        assert owner.delete(f"{url}/members/{people['banned'].user_id}?ban=true").status_code == 204
        assert people["requester"].post(f"{url}/join").status_code == 202
        assert (
            owner.post(
                f"{url}/invitations", json={"user_id": people["invitee"].user_id}
            ).status_code
            == 201
        )
        assert owner.patch(url, json={"visibility": visibility}).status_code == 200
    ids = {name: client.user_id for name, client in people.items()}
    people["anonymous"] = Anonymous(app)
    outsider = factory.user(name="Outsider")
    return World(app, people, ids, groups, outsider.id, snapshot_groups(app, list(groups.values())))


def call(world: World, endpoint: str, persona: str, group_id: int):
    method, template = endpoint.split(" ")
    path = API + template.format(
        id=group_id,
        requester=world.ids["requester"],
        member=world.ids["member"],
        banned=world.ids["banned"],
        invitee=world.ids["invitee"],
    )
    body = None
    if endpoint == "PATCH /groups/{id}":
        body = {"description": "same"}
    elif endpoint == "POST /groups/{id}/invitations":
        body = {"user_id": world.outsider_id}
    elif endpoint == "PATCH /groups/{id}/members/{member}":
        body = {"role": "moderator"}
    return world.people[persona].open(method, path, json=body)


def walk(world: World, endpoints) -> list[str]:
    mismatches = []
    for endpoint in endpoints:
        for persona in PERSONAS:
            for index, visibility in enumerate(VISIBILITIES):
                response = call(world, endpoint, persona, world.groups[visibility])
                status = response.status_code
                assert status < 500, (endpoint, persona, visibility, response.json)
                if status >= 400:
                    assert response.is_json and response.json["message"], (endpoint, persona)
                expected = EXPECTED[endpoint][persona][index]
                if status != expected:
                    mismatches.append(
                        f"{endpoint} as {persona} in {visibility}: {status}, expected {expected}"
                    )
                if not endpoint.startswith("GET") and status < 300:
                    restore_groups(world.app, world.snapshot)
    return mismatches


def test_the_table_covers_every_persona_and_every_group_route(app):
    assert all(set(row) == set(PERSONAS) for row in EXPECTED.values())
    routes = {
        f"{method} {rule.rule.removeprefix(API)}"
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("groups.")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    covered = {
        endpoint.split("?")[0]
        .replace("{id}", "<int:group_id>")
        .replace("{requester}", "<int:user_id>")
        .replace("{member}", "<int:user_id>")
        .replace("{banned}", "<int:user_id>")
        .replace("{invitee}", "<int:user_id>")
        for endpoint in EXPECTED
    }
    assert routes - {"GET /groups", "POST /groups"} == covered


def test_reading_endpoints_answer_as_the_table_says(app, factory):
    world = build_world(app, factory)
    assert walk(world, [e for e in EXPECTED if e.startswith("GET")]) == []


@pytest.mark.long
def test_changing_endpoints_answer_as_the_table_says(app, factory):
    world = build_world(app, factory)
    assert walk(world, [e for e in EXPECTED if not e.startswith("GET")]) == []


def test_the_directory_lists_groups_as_the_table_says(app, factory):
    world = build_world(app, factory)
    assert world.people["anonymous"].get(f"{API}/groups").status_code == 401
    for persona, expected in LISTED.items():
        response = world.people[persona].get(f"{API}/groups?page_size=100")
        assert response.status_code == 200
        listed = {g["id"] for g in response.json}
        assert tuple(world.groups[v] in listed for v in VISIBILITIES) == expected, persona


def test_the_table_keeps_hidden_groups_and_closed_content_from_non_members():
    hidden = VISIBILITIES.index("hidden")
    for endpoint, row in EXPECTED.items():
        for persona in NON_MEMBERS:
            if (endpoint, persona) != ("POST /groups/{id}/join", "invitee"):
                assert row[persona][hidden] == 404, (endpoint, persona)
    for persona in (*NON_MEMBERS, "site_admin"):
        for index, visibility in enumerate(VISIBILITIES):
            if visibility != "open":
                assert EXPECTED["GET /groups/{id}/members"][persona][index] in (403, 404)
