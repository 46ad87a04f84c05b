"""The group pages for every role in every visibility: each answers as the API's GET of the
same thing answers the same person (200 where it does; the HTML 404 where it answers 403
or 404; sign in where it answers 401), so a page is never more open than the API.

The world is the groups permission matrix's (tests/matrix.py): one group of each
visibility, with its owner, a moderator, a member, a banned former member, a person whose
request to join is pending and an invitee; a non-member and a site admin besides.
"""

from __future__ import annotations

import io

import pytest

from hub.auth.models import User
from hub.extensions import db
from tests.groups.helpers import start_thread
from tests.library.helpers import upload
from tests.live.helpers import schedule
from tests.matrix import API, PERSONAS, VISIBILITIES, World, build_world
from tests.web.conftest import Browser

# page (as its rule names it) -> the API's GET of the same thing
PAGES = {
    "/groups/{group}": "/groups/{group}",
    "/threads/{thread}": "/threads/{thread}",
    "/groups/{group}/library": "/groups/{group}/library/files",
    "/files/{file}": "/library/files/{file}",
    "/groups/{group}/suggestions": "/groups/{group}/suggestions",
    "/live/{session}": "/live-sessions/{session}",
}
# What a page answers where the API answers this.
PAGE_STATUS = {200: 200, 401: 303, 403: 404, 404: 404}


@pytest.fixture
def world(app, factory) -> World:
    return build_world(app, factory)


@pytest.fixture
def threads(world) -> dict[str, int]:
    """A thread in each group, started by its owner."""
    owner = world.people["owner"]
    return {v: start_thread(owner, world.groups[v])["id"] for v in VISIBILITIES}


@pytest.fixture
def files(world) -> dict[str, int]:
    """A file in each group's library, uploaded by its owner."""
    owner = world.people["owner"]
    return {
        v: upload(owner, world.groups[v], "notes.txt", b"thistle").json["id"] for v in VISIBILITIES
    }


@pytest.fixture
def sessions(world) -> dict[str, int]:
    """A live session in each group, scheduled by its owner."""
    owner = world.people["owner"]
    return {v: schedule(owner, world.groups[v])["id"] for v in VISIBILITIES}


@pytest.fixture
def browsers(app, world) -> dict[str, Browser]:
    """Each persona signed in through the sign-in page (anonymous: not signed in)."""
    signed_in = {"anonymous": Browser(app)}
    with app.app_context():
        users = {p: db.session.get(User, world.ids[p]) for p in PERSONAS if p != "anonymous"}
    for persona, user in users.items():
        signed_in[persona] = Browser(app)
        signed_in[persona].sign_in(user)
    return signed_in


@pytest.mark.long
def test_each_group_page_answers_every_role_as_the_api_does(
    world, threads, files, sessions, browsers
):
    mismatches, seen = [], set()
    for page, api in PAGES.items():
        for visibility in VISIBILITIES:
            ids = {
                "group": world.groups[visibility],
                "thread": threads[visibility],
                "file": files[visibility],
                "session": sessions[visibility],
            }
            for persona in PERSONAS:
                api_status = world.people[persona].get(API + api.format(**ids)).status_code
                response = browsers[persona].client.get(page.format(**ids))
                response.close()
                seen.add(api_status)
                if response.status_code != PAGE_STATUS[api_status]:
                    mismatches.append(
                        f"{page} as {persona} in {visibility}: {response.status_code}, "
                        f"the API {api_status}"
                    )
                if response.status_code == 404:
                    assert response.mimetype == "text/html", (page, persona, visibility)
    assert mismatches == [], "\n".join(mismatches)
    assert seen == {200, 401, 403, 404}  # every kind of answer was met


# What a form answers where the API's call that does the same answers this (for those who
# may read the group: the others get the HTML 404 whatever the call would say).
FORM_STATUS = {200: 303, 201: 303, 401: 303, 403: 403, 409: 409}


@pytest.fixture
def suggestions(world) -> dict[str, int]:
    """A suggestion in each group, made by its owner."""
    owner = world.people["owner"]
    idea = {"title": "Meet online", "body": "Save travel."}
    return {
        v: owner.post(f"{API}/groups/{world.groups[v]}/suggestions", json=idea).json["id"]
        for v in VISIBILITIES
    }


@pytest.mark.long
def test_each_group_form_answers_every_role_as_the_api_does(world, suggestions, browsers):
    """Voting and uploading by form: 404 for everyone who may not read the group (a POST
    too, not the API's 403), else what the API's call answers."""
    mismatches, seen = [], set()
    for visibility in VISIBILITIES:
        group, suggestion = world.groups[visibility], suggestions[visibility]
        for persona in PERSONAS:
            api = world.people[persona]
            read = api.get(f"{API}/groups/{group}/library/files").status_code
            uploaded = api.open(
                "POST",
                f"{API}/groups/{group}/library/files",
                data={"file": (io.BytesIO(b"thistle"), "notes.txt")},
                content_type="multipart/form-data",
            )
            forms = {
                f"/suggestions/{suggestion}/vote": (
                    api.open("POST", f"{API}/suggestions/{suggestion}/vote").status_code,
                    {},
                ),
                f"/groups/{group}/library/files": (
                    uploaded.status_code,
                    {"file": (io.BytesIO(b"thistle"), "notes.txt")},
                ),
            }
            browser = browsers[persona]
            for path, (api_status, data) in forms.items():
                expected = 404 if read in (403, 404) else FORM_STATUS[api_status]
                posted = {"csrf_token": browser.csrf_token(), **data}
                response = browser.client.post(path, data=posted)
                seen.add(response.status_code)
                if response.status_code != expected:
                    mismatches.append(
                        f"{path} as {persona} in {visibility}: {response.status_code}, "
                        f"the API {api_status} (read {read})"
                    )
    assert mismatches == [], "\n".join(mismatches)
    assert seen == {303, 403, 404}  # done, refused to a reader, and not there


def _group_ids(page) -> set[int]:
    return {int(a["href"].rsplit("/", 1)[1]) for a in page.select("#results + ul h3 a")}


def test_the_directory_lists_what_the_apis_directory_lists(world, browsers):
    for persona in PERSONAS:
        if persona == "anonymous":
            continue
        listed = world.people[persona].get(f"{API}/groups?page_size=100").json
        assert _group_ids(browsers[persona].get("/groups")) == {g["id"] for g in listed}, persona
    hidden = world.groups["hidden"]
    assert hidden in _group_ids(browsers["member"].get("/groups"))
    assert hidden not in _group_ids(browsers["non_member"].get("/groups"))
