"""Every library endpoint, for every kind of person, in every visibility: the expected status.

The people and groups are the groups matrix's (tests/matrix.py). In each group the owner
made a folder and the member uploaded a file (`file`). A call that changes anything is
undone (from a snapshot of the library's rows) before the next.
"""

from __future__ import annotations

import io

import pytest

from tests.library.helpers import uploaded
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
EXPECTED = {
    "GET /groups/{id}/library/folders": READ,
    "GET /groups/{id}/library/files": READ,
    "GET /library/files/{file}": READ,
    "GET /library/files/{file}/download": READ,
    "GET /library/files/{file}/versions": READ,
    # Adding: members who may post; reading an open group, or being a site admin, is not
    # enough.
    "POST /groups/{id}/library/folders": {
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
    "POST /groups/{id}/library/files": {
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
    # Changing the member's file: the uploader or a moderator.
    "PATCH /library/files/{file}": {
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
    "POST /library/files/{file}/versions": {
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
    "DELETE /library/files/{file}": {
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
}
JSON_BODIES = {
    "POST /groups/{id}/library/folders": {"name": "Minutes"},
    "PATCH /library/files/{file}": {"title": "Renamed"},
}
UPLOADS = {"POST /groups/{id}/library/files", "POST /library/files/{file}/versions"}
LIBRARY_TABLES = (
    "library_folders",
    "library_files",
    "library_file_tags",
    "library_file_versions",
)


def caller(world: World, files: dict[str, int]):
    def call(endpoint: str, persona: str, visibility: str):
        method, template = endpoint.split(" ")
        path = API + template.format(id=world.groups[visibility], file=files[visibility])
        kwargs = {"json": JSON_BODIES.get(endpoint)}
        if endpoint in UPLOADS:
            kwargs = {
                "data": {"file": (io.BytesIO(b"Notes from the meeting.\n"), "notes.txt")},
                "content_type": "multipart/form-data",
            }
        return world.people[persona].open(method, path, **kwargs)

    return call


def run(app, factory, endpoints) -> list[str]:
    world = build_world(app, factory)
    files = {}
    for visibility, group_id in world.groups.items():
        made = world.people["owner"].post(
            f"{API}/groups/{group_id}/library/folders", json={"name": "Papers"}
        )
        assert made.status_code == 201, made.json
        files[visibility] = uploaded(world.people["member"], group_id)["id"]
    snapshot = snapshot_tables(app, LIBRARY_TABLES)
    return walk(
        world, EXPECTED, endpoints, caller(world, files), lambda: restore_tables(app, snapshot)
    )


def test_the_table_covers_every_library_route(app):
    check_table_shape(EXPECTED)
    routes = {
        f"{method} {rule.rule.removeprefix(API)}"
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("library.")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    covered = {
        e.replace("{id}", "<int:group_id>").replace("{file}", "<int:file_id>") for e in EXPECTED
    }
    assert routes == covered


@pytest.mark.long
def test_reading_endpoints_answer_as_the_table_says(app, factory):
    assert run(app, factory, [e for e in EXPECTED if e.startswith("GET")]) == []


@pytest.mark.long
def test_changing_endpoints_answer_as_the_table_says(app, factory):
    # Deleting last: the stored bytes of a deleted file do not come back with its rows.
    changing = sorted((e for e in EXPECTED if not e.startswith("GET")), key=lambda e: "DELETE" in e)
    assert run(app, factory, changing) == []
