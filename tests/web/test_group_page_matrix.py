"""The group pages for every role in every visibility: each answers as the API's GET of the
same thing answers the same person (200 where it does; the HTML 404 where it answers 403
or 404; sign in where it answers 401), so a page is never more open than the API.

The world is the groups permission matrix's (tests/matrix.py): one group of each
visibility, with its owner, a moderator, a member, a banned former member, a person whose
request to join is pending and an invitee; a non-member and a site admin besides.
"""

from __future__ import annotations

import pytest

from hub.auth.models import User
from hub.extensions import db
from tests.groups.helpers import start_thread
from tests.live.helpers import schedule
from tests.matrix import API, PERSONAS, VISIBILITIES, World, build_world
from tests.web.conftest import Browser

# page (as its rule names it) -> the API's GET of the same thing
PAGES = {
    "/groups/{group}": "/groups/{group}",
    "/threads/{thread}": "/threads/{thread}",
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


def test_each_group_page_answers_every_role_as_the_api_does(world, threads, sessions, browsers):
    mismatches, seen = [], set()
    for page, api in PAGES.items():
        for visibility in VISIBILITIES:
            ids = {
                "group": world.groups[visibility],
                "thread": threads[visibility],
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
